// node:test: the shared call-plan cases (tests/fixtures/call-plan/cases.json) through the JS client; tests/cpp/native/call_plan_test.cpp runs the same file through the native Client.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { LLMBase } from '../../dist/index.mjs';
import { KEY, startTestServer } from './helpers/server.mjs';

const { cases } = JSON.parse(readFileSync(new URL('../fixtures/call-plan/cases.json', import.meta.url), 'utf8'));
// Loopback port 1: nothing listens there, so any request the client made would be a connection error.
const CLOSED = 'http://127.0.0.1:1/v1';

let server;
before(async () => {
  server = await startTestServer({ port: 0 });
});
after(() => server.close());

async function run(entry) {
  const requests = [];
  const seen = { findings: [] };
  const client = new LLMBase({
    apiKey: KEY,
    baseURL: entry.server === 'none' ? CLOSED : server.url,
    maxRetries: 0,
    validation: entry.client.validation,
    budgetUSD: entry.client.budgetUSD,
    onWarning: (findings) => {
      seen.findings = findings;
    },
    fetch: (url, init) => {
      requests.push(`${init && init.method ? init.method : 'GET'} ${new URL(String(url)).pathname}`);
      return fetch(url, init);
    },
  });
  try {
    const completion = await client.chat.completions.create(entry.request, { headers: entry.headers || {} });
    return { error: null, completion, findings: seen.findings, requests };
  } catch (error) {
    return { error, completion: null, findings: error.findings || seen.findings, requests };
  } finally {
    client.close();
  }
}

for (const entry of cases) {
  test(entry.name, async () => {
    const { error, completion, findings, requests } = await run(entry);
    const { expect } = entry;
    const sent = requests.includes('POST /v1/chat/completions');
    assert.equal(sent, expect.sent, `requests made: ${requests.join(', ') || 'none'}`);
    if (entry.server === 'none') assert.deepEqual(requests, [], 'no request at all, not even for the metadata');
    if (expect.error === null) {
      assert.equal(error, null, error && error.message);
    } else {
      assert.ok(error, 'the call must fail');
      for (const [field, value] of Object.entries(expect.error)) assert.equal(error[field], value, `error.${field} (${error.message})`);
      if (error.kind === 'validation') assert.match(error.message, /^Request not sent: /);
    }
    assert.deepEqual(
      findings.map((f) => f.code),
      expect.findings
    );
    const billed = completion && completion.cost ? completion.cost.model : null;
    assert.equal(billed, expect.billedModel);
    if (billed) assert.ok(completion.cost.usd > 0, 'a billed completion has a price');
  });
}
