// configureWasm() under Node: typed errors for bad sources, a failed load names the fix, a good source after it works.
// The steps share one realm on purpose (the core loads once per realm), so they run in order.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import LLMBase, { configureWasm, LLMBaseError } from '../../dist/index.mjs';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { MODEL, MESSAGES, REPLY } from './helpers/scenario.mjs';
import { ROOT } from './helpers/matrix.mjs';

let server;
before(async () => {
  server = await startTestServer();
});
after(async () => {
  await server?.close();
});

const chat = () =>
  new LLMBase({ apiKey: 'llmbase_configure_test', baseURL: server.url, maxRetries: 0 }).chat.completions.create({
    model: MODEL,
    messages: MESSAGES,
  });

test('a source that is not { module | bytes | url } is refused with the field named', () => {
  const cases = [
    [undefined, /expected an object \{ module \| bytes \| url \}, got undefined/],
    [{}, /give exactly one of module, bytes or url \(got none\)/],
    [{ bytes: new Uint8Array(1), url: 'x' }, /exactly one .* \(got bytes, url\)/],
    [{ module: new Uint8Array(1) }, /module must be a WebAssembly\.Module, got Uint8Array/],
    [{ bytes: 'AGFzbQ==' }, /bytes must be an ArrayBuffer or a typed array, got string/],
    [{ url: 42 }, /url must be a string or a URL, got number/],
    [{ url: 'a.wasm', wasmBinary: 1 }, /unknown field wasmBinary/],
  ];
  for (const [source, message] of cases) {
    assert.throws(
      () => configureWasm(source),
      (error) => error instanceof LLMBaseError && error.kind === 'invalid_argument' && message.test(error.message)
    );
  }
});

test('bytes that are not wasm: the first call rejects with an LLMBaseError naming configureWasm, nothing crashes', async () => {
  configureWasm({ bytes: new TextEncoder().encode('not wasm at all') });
  await assert.rejects(chat(), (error) => {
    assert.ok(error instanceof LLMBaseError);
    assert.equal(error.kind, 'wasm_load');
    assert.match(error.message, /could not load its WebAssembly core from the bytes given: .*configureWasm\(\{ bytes \}\)/);
    return true;
  });
});

test('after a failed load, a file: URL to the real .wasm loads and the call works', async () => {
  configureWasm({ url: pathToFileURL(join(ROOT, 'dist', 'llmbase_core.node.wasm')) });
  const completion = await chat();
  assert.equal(completion.choices[0].message.content, REPLY);
});

test('once loaded, configureWasm says it is too late instead of being ignored', () => {
  assert.throws(
    () => configureWasm({ bytes: new Uint8Array(8) }),
    /already loaded in this realm; call configureWasm\(\) before the first request/
  );
});
