// node:test: the browser guard does not misfire in Node, in worker threads, or with browser-like globals in Node.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { LLMBase } from '../../dist/index.mjs';

const entry = new URL('../../dist/index.mjs', import.meta.url).href;

test('a key is accepted in the Node main thread', () => {
  assert.equal(new LLMBase({ apiKey: 'llmbase_node_key' }).apiKey, 'llmbase_node_key');
});

test('a key is accepted in a Node worker thread', async () => {
  const worker = new Worker(
    `import(${JSON.stringify(entry)}).then(({ LLMBase }) => {
       require('node:worker_threads').parentPort.postMessage(new LLMBase({ apiKey: 'llmbase_worker_key' }).apiKey);
     }).catch((e) => require('node:worker_threads').parentPort.postMessage('error: ' + e.message));`,
    { eval: true }
  );
  const [message] = await new Promise((resolve, reject) => {
    worker.once('message', (m) => resolve([m]));
    worker.once('error', reject);
  });
  await worker.terminate();
  assert.equal(message, 'llmbase_worker_key');
});

test('window/document globals in Node (as jsdom sets up) do not make it a browser', () => {
  globalThis.window = { document: {} };
  globalThis.document = {};
  try {
    assert.equal(new LLMBase({ apiKey: 'llmbase_jsdom_key' }).apiKey, 'llmbase_jsdom_key');
  } finally {
    delete globalThis.window;
    delete globalThis.document;
  }
});
