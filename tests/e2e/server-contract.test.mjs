// node:test: every validation case (tests/fixtures/validation/cases.json) sent to the local server over loopback, its verdict compared with the client core's; each difference is pinned with its reason.
//
// The local server plays LLMBase with a validator of its own (src/js/server/validation.mjs), so it
// can catch what the core gets wrong. Where the two may disagree by design is listed below; a new
// difference, or a listed one that goes away or changes, fails the test until the list says why.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { validateRequest } from '../../dist/index.mjs';
import { KEY, startTestServer } from './helpers/server.mjs';

const fixtures = fileURLToPath(new URL('../fixtures/validation/', import.meta.url));
const cases = JSON.parse(readFileSync(`${fixtures}cases.json`, 'utf8'));
const testCatalog = JSON.parse(readFileSync(`${fixtures}catalog.json`, 'utf8'));
const serverCatalog = JSON.parse(readFileSync(fileURLToPath(new URL('../../src/js/server/catalog.json', import.meta.url)), 'utf8'));

// The client may allow, warn about or not know what the API itself refuses; `server` is the verdict
// the local server gives (status, code, param), pinned so a changed answer is noticed too.
const ALLOW_PARAMS =
  'allowParams tells the client not to judge the named fields (the user knows better than its metadata); the server is the API and judges them all';
const CONTEXT =
  'the client only estimates prompt tokens, so an overflow is a warning; the server counts its own and refuses as LLMBase does';
const UNKNOWN_MODEL =
  "the client's metadata may be stale or partial, so a model it does not list is a warning; the server knows its catalog";
const DIFFERENCES = {
  allow_params_suppresses_capability: { server: '400 unsupported_feature tools', reason: ALLOW_PARAMS },
  allow_params_suppresses_nested_paths: { server: '400 missing_required_parameter response_format.json_schema.name', reason: ALLOW_PARAMS },
  allow_params_suppresses_shape: { server: '400 out_of_range temperature', reason: ALLOW_PARAMS },
  context_overflow_warns_at_max_tokens: { server: '400 context_length_exceeded messages', reason: CONTEXT },
  context_overflow_warns_at_max_completion_tokens: { server: '400 context_length_exceeded messages', reason: CONTEXT },
  context_overflow_without_cap_warns_at_messages: { server: '400 context_length_exceeded messages', reason: CONTEXT },
  metadata_without_capability_fields: {
    server: '400 unsupported_feature tools',
    reason:
      'metadata that lists no capabilities tells the client nothing, so it checks none; the server knows its model has no supported_features',
  },
  part_type_undocumented_is_warning: {
    server: '400 invalid_value messages[0].content[0].type',
    reason:
      'the client lets a part type it does not know through with a warning (the API may add some); the server accepts the documented ones only',
  },
  reasoning_effort_unusual_value_warns: {
    server: '400 invalid_value reasoning_effort',
    reason: 'the client lets a new effort value through with a warning; the server knows the values it takes',
  },
  single_entry_for_another_model: { server: '404 model_not_found model', reason: UNKNOWN_MODEL },
  unknown_model_one_warning_only: { server: '404 model_not_found model', reason: UNKNOWN_MODEL },
};

// A case's metadata as the server's catalog. The server bills, so it needs prices the client's
// verdict never reads; an entry without them gets a zero price.
function catalogOf(metadata) {
  const entries = Array.isArray(metadata) ? metadata : (metadata.models ?? metadata.data ?? [metadata]);
  return entries.map((entry) => ({ pricing: { input: 0, output: 0 }, ...entry }));
}

function metadataOf(testCase) {
  if (typeof testCase.metadata === 'string') return JSON.parse(readFileSync(`${fixtures}${testCase.metadata}`, 'utf8'));
  return testCase.metadata;
}

// One path names the other's field or a part of it: `response_format` and `response_format.type`.
function sameField(a, b) {
  if (a === b) return true;
  const [short, long] = a.length < b.length ? [a, b] : [b, a];
  return short !== '' && long.startsWith(short) && (long[short.length] === '.' || long[short.length] === '[');
}

async function serverVerdict(server, request) {
  const response = await fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` },
    body: JSON.stringify(request),
  });
  const text = await response.text(); // a stream is read to its end too
  if (response.status === 200) return { accepted: true, summary: '200' };
  const { error } = JSON.parse(text);
  return { accepted: false, param: error.param ?? '', summary: `${response.status} ${error.code} ${error.param}` };
}

describe('the local server against the client core, case by case', () => {
  const servers = new Map(); // metadata text → server; the fixture catalog is the built-in one
  let builtIn;
  before(async () => {
    builtIn = await startTestServer();
  });
  after(async () => {
    await builtIn.close();
    for (const server of servers.values()) await server.close();
  });

  async function serverFor(testCase) {
    if (typeof testCase.metadata === 'string' || testCase.metadata === null || testCase.metadata === undefined) return builtIn;
    const key = JSON.stringify(testCase.metadata);
    if (!servers.has(key)) servers.set(key, await startTestServer({ catalog: catalogOf(testCase.metadata) }));
    return servers.get(key);
  }

  test('every pinned difference names a case', () => {
    const names = new Set(cases.map((c) => c.name));
    assert.deepEqual(
      Object.keys(DIFFERENCES).filter((name) => !names.has(name)),
      []
    );
  });

  for (const testCase of cases) {
    test(testCase.name, async () => {
      const client = await validateRequest(testCase.request, metadataOf(testCase), { allowParams: testCase.options?.allow_params });
      assert.equal(client.ok, testCase.expected.ok, 'the core gives the verdict the case expects');
      const refusedAt = client.findings.filter((f) => f.severity === 'error').map((f) => f.path);
      const server = await serverVerdict(await serverFor(testCase), testCase.request);
      const agree = server.accepted === client.ok && (server.accepted || refusedAt.some((path) => sameField(path, server.param)));
      const pinned = DIFFERENCES[testCase.name];
      const clientSays = client.ok ? 'accepts' : `refuses at ${refusedAt.join(', ')}`;
      if (pinned) {
        assert.equal(
          agree,
          false,
          `listed as a difference (${pinned.reason}), but both now say ${server.summary}; drop it from DIFFERENCES`
        );
        assert.equal(server.summary, pinned.server, `the server's answer changed (the client ${clientSays})`);
      } else {
        assert.ok(
          agree,
          `the server answers ${server.summary}, the client ${clientSays}: fix one, or pin it in DIFFERENCES with the reason`
        );
      }
    });
  }
});

test("the validation fixtures' catalog is the local server's built-in catalog", () => {
  // tests/fixtures/validation/catalog.json stays a file (the C++ suites read it), so it is checked
  // here rather than generated: a model changed in one and not the other fails this test.
  assert.deepEqual(
    testCatalog.data,
    serverCatalog.models,
    'tests/fixtures/validation/catalog.json "data" must equal src/js/server/catalog.json "models"; copy the models across'
  );
});
