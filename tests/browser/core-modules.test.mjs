// Browser test: a page that only chats downloads the chat module alone; a schema, parse() or runTools() load the full core on demand.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer } from '../../dist/server/index.mjs';
import { launchChromium } from './helpers/chromium.mjs';

const ROOT = path.join(path.dirname(new URL(import.meta.url).pathname), '..', '..');
const FLASH = 'deepseek/deepseek-v4-flash';

// The page (its script a file of its own: the local server's CSP allows no inline script) imports
// the package's browser entry as an app would, and counts what the API sees.
const PAGE = `<!doctype html><meta charset="utf-8"><title>core modules</title><link rel="icon" href="data:,">
<script type="module" src="/app.mjs"></script>`;
const APP = `import { LLMBase, ValidationError, coreDiagnostics } from '/dist/browser.mjs';
const posts = [];
const countingFetch = (url, init) => { if (String(url).endsWith('/chat/completions')) posts.push(url); return fetch(url, init); };
// A test key on loopback; a real page goes through a proxy that holds the key.
const client = new LLMBase({ baseURL: location.origin + '/v1', apiKey: 'llmbase_core_modules_test_key', dangerouslyAllowBrowser: true, fetch: countingFetch });
const ask = (content, extra) => Object.assign({ model: '${FLASH}', messages: [{ role: 'user', content }] }, extra);
const format = (schema) => ({ type: 'json_schema', json_schema: { name: 'answer', schema, strict: true } });
const loaded = () => performance.getEntriesByType('resource').map((e) => new URL(e.name).pathname)
  .filter((p) => /llmbase_core/.test(p)).sort();
window.steps = {
  async chat() {
    const stream = await client.chat.completions.create(ask('Say hello'), { });
    const plain = await client.chat.completions.create(Object.assign(ask('Say hello'), { stream: true }));
    let text = '';
    for await (const chunk of plain) text += chunk.choices[0]?.delta?.content || '';
    const runner = client.chat.completions.stream(ask('Say hello'));
    const streamed = await runner.finalContent();
    return { text: text.length > 0, streamed: streamed.length > 0, content: stream.choices[0].message.content.length > 0,
      loaded: loaded(), diagnostics: await coreDiagnostics() };
  },
  async malformed() {
    const broken = { type: 'object', properties: { n: { type: 'nummber' } } };
    const before = posts.length;
    const error = await client.chat.completions.create(ask('n?', { response_format: format(broken) })).then(() => null, (e) => e);
    return { validation: error instanceof ValidationError, finding: error && error.findings[0], sent: posts.length - before, loaded: loaded() };
  },
  async parse() {
    const schema = { type: 'object', properties: { items: { type: 'array', minItems: 3, items: { type: 'object',
      properties: { name: { type: 'string' }, price: { type: 'number' } }, required: ['name', 'price'] } } }, required: ['items'] };
    const completion = await client.chat.completions.parse(ask('List three things', { response_format: format(schema) }));
    const message = completion.choices[0].message;
    return { parsed: message.parsed, content: JSON.parse(message.content) };
  },
  async tools() {
    const city = { type: 'object', properties: { city: { type: 'string' } }, required: ['city'], additionalProperties: false };
    const calls = [];
    const runner = client.chat.completions.runTools(ask('What is the weather in Paris?', {
      tools: [{ type: 'function', function: { name: 'get_weather', parameters: city, function: (args) => { calls.push(args); return 'sunny'; }, parse: JSON.parse } }],
    }));
    const content = await runner.finalContent();
    return { calls, answered: typeof content === 'string' && content.length > 0, diagnostics: await coreDiagnostics() };
  },
};
window.ready = true;
`;

let server;
let browser;
let page;
let site;
const pageErrors = [];

before(async () => {
  site = mkdtempSync(path.join(tmpdir(), 'llmbase-core-modules-'));
  writeFileSync(path.join(site, 'index.html'), PAGE);
  writeFileSync(path.join(site, 'app.mjs'), APP);
  server = await startServer({ port: 0, chunkDelayMs: 0, staticDir: site, staticMounts: { '/dist/': path.join(ROOT, 'dist') } });
  browser = await launchChromium();
  page = await browser.newPage();
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(server.url.replace(/\/v1$/, '/'));
  await page.waitForFunction(() => window.ready === true);
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (site) rmSync(site, { recursive: true, force: true });
});

test('create(), a streamed create() and stream() run on the chat module: the full core is never fetched', async () => {
  const result = await page.evaluate(() => window.steps.chat());
  assert.deepEqual(
    { text: result.text, streamed: result.streamed, content: result.content },
    { text: true, streamed: true, content: true }
  );
  assert.deepEqual(result.loaded, ['/dist/llmbase_core_chat.mjs', '/dist/llmbase_core_chat.wasm']);
  assert.equal(result.diagnostics.modules, 1);
  assert.equal(result.diagnostics.activeCalls, 0);
  assert.deepEqual(pageErrors, []);
});

test('a request with a malformed JSON Schema loads the full core, which refuses it before sending', async () => {
  const result = await page.evaluate(() => window.steps.malformed());
  assert.equal(result.validation, true);
  assert.equal(result.finding.code, 'invalid_json_schema');
  assert.equal(result.finding.path, 'response_format.json_schema.schema.properties.n.type');
  assert.equal(result.sent, 0, 'nothing was sent');
  assert.deepEqual(result.loaded, [
    '/dist/llmbase_core.mjs',
    '/dist/llmbase_core.wasm',
    '/dist/llmbase_core_chat.mjs',
    '/dist/llmbase_core_chat.wasm',
  ]);
});

test('parse() and runTools() work in the browser on the full core', async () => {
  const parsed = await page.evaluate(() => window.steps.parse());
  assert.equal(parsed.parsed.items.length >= 3, true);
  assert.deepEqual(parsed.parsed, parsed.content);
  const tools = await page.evaluate(() => window.steps.tools());
  assert.deepEqual(tools.calls, [{ city: 'Paris' }]);
  assert.equal(tools.answered, true);
  assert.equal(tools.diagnostics.modules, 2);
  assert.equal(tools.diagnostics.activeCalls, 0);
  assert.deepEqual(pageErrors, []);
});
