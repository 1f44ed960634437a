// node:test: the wasm memory of a client's model catalog is given back by close() (delete()), by a newer metadata list, and by the garbage collector for a client that was dropped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { LLMBase, coreDiagnostics } from '../../dist/index.mjs';

// `node --expose-gc` gives gc(); under a plain `node --test` the flag is turned on here instead.
if (typeof globalThis.gc !== 'function') {
  setFlagsFromString('--expose-gc');
  globalThis.gc = runInNewContext('gc');
}

// A metadata list big enough that its parsed catalog stands far out of the heap's noise.
const MODELS = 1500;
const metadata = {
  object: 'list',
  data: Array.from({ length: MODELS }, (_, i) => ({
    id: `vendor-${i % 37}/model-${i}`,
    context_length: 131072,
    max_output_length: 8192,
    input_modalities: ['text', 'image'],
    supported_features: ['tools', 'json_mode', 'structured_outputs'],
    supported_parameters: ['max_tokens', 'temperature', 'top_p', 'stop', 'seed', 'tools', 'tool_choice', 'response_format'],
    pricing: { input: 0.2 + i / 1e4, output: 0.3 + i / 1e4, input_cache_read: 0.02 },
  })),
};
const params = { model: 'vendor-1/model-1', messages: [{ role: 'user', content: 'hi' }] };
// What the parsed catalog must at least take, so that "freed" cannot pass by measuring nothing.
const CATALOG_AT_LEAST = 512 * 1024;
// What may stay behind after it is freed: allocator bookkeeping, far below one catalog.
const SLACK = 64 * 1024;

const heap = async () => (await coreDiagnostics()).heapInUse;

// A fetch that answers the metadata GET with `metadata` and records how often it was asked.
function metadataFetch() {
  const fetch = async () => {
    fetch.calls += 1;
    return new Response(JSON.stringify(metadata), { status: 200, headers: { 'content-type': 'application/json' } });
  };
  fetch.calls = 0;
  return fetch;
}

async function baseline() {
  // Warm up: the core loaded and one catalog parsed and freed, so later growth is the catalog alone.
  const warm = new LLMBase({ apiKey: 'llmbase_k', modelMetadata: metadata });
  await warm.validate(params);
  warm.close();
  return heap();
}

test('close() deletes the catalog handle: its memory goes back to the core at once', async () => {
  const before = await baseline();
  const client = new LLMBase({ apiKey: 'llmbase_k', modelMetadata: metadata });
  assert.equal((await client.validate(params)).ok, true);
  const held = (await heap()) - before;
  assert.ok(held >= CATALOG_AT_LEAST, `the parsed catalog holds ${held} bytes`);
  client.close();
  const left = (await heap()) - before;
  assert.ok(left < SLACK, `${left} bytes of the catalog were kept after close()`);
});

test('a refreshed metadata list frees the catalog it replaces', async () => {
  const before = await baseline();
  const fetch = metadataFetch();
  const client = new LLMBase({ apiKey: 'llmbase_k', baseURL: 'http://metadata.invalid/v1', fetch });
  await client.models.metadata();
  const one = (await heap()) - before;
  assert.ok(one >= CATALOG_AT_LEAST, `the parsed catalog holds ${one} bytes`);
  for (let i = 0; i < 2; i += 1) await client.models.metadata({ refresh: true });
  assert.equal(fetch.calls, 3);
  const after = (await heap()) - before;
  // Three lists were parsed; only the newest is held.
  assert.ok(after < one + SLACK, `${after} bytes held after 3 lists, ${one} for one`);
  client.close();
  assert.ok((await heap()) - before < SLACK, 'close() freed the last one');
});

test('a client dropped without close() has its catalog freed once it is collected', async () => {
  const before = await baseline();
  // Made in a function of its own, so nothing on this frame keeps the client alive.
  const held = await (async () => {
    const client = new LLMBase({ apiKey: 'llmbase_k', modelMetadata: metadata });
    await client.validate(params);
    return (await heap()) - before;
  })();
  assert.ok(held >= CATALOG_AT_LEAST, `the parsed catalog holds ${held} bytes`);
  // Finalizers run after a collection, on a later task: collect and yield until the memory is
  // back. A bounded number of rounds, not a time limit; a catalog never freed fails here.
  let left = held;
  for (let round = 0; round < 200 && left >= SLACK; round += 1) {
    globalThis.gc();
    await new Promise((resolve) => setImmediate(resolve));
    left = (await heap()) - before;
  }
  assert.ok(left < SLACK, `${left} bytes of a dropped client's catalog are still held after 200 collections`);
});
