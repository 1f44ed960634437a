// Runtimes matrix, Vercel-style edge cell: an esbuild bundle (edge-light condition) run in edge-runtime's sandbox.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EdgeRuntime } from 'edge-runtime';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, makeApp } from './helpers/matrix.mjs';
import { bundle, edgeWasmBinding } from './helpers/bundle.mjs';

let server;
let app;
let expected;
let wasmModule;

const handler = (prelude) => `import LLMBase from 'llmbase-wasm';
${prelude}
import { runScenario } from './scenario.mjs';
addEventListener('fetch', (event) => {
  event.respondWith(
    runScenario(LLMBase, BASE_URL).then(
      (result) => Response.json(result),
      (error) => new Response(error.name + ': ' + error.message, { status: 500 }),
    ),
  );
});
`;

async function runEdge(name, source, conditions, plugins) {
  const outdir = join(app.dir, 'out');
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(app.dir, `${name}.mjs`), source);
  // An iife bundle, as edge hosts evaluate scripts: esbuild empties import.meta in it.
  await bundle({ entry: join(app.dir, `${name}.mjs`), outdir, outName: `${name}.js`, conditions, format: 'iife', plugins });
  const runtime = new EdgeRuntime({
    // Vercel's edge refuses eval/new Function and compiling wasm at run time; so does this sandbox.
    codeGeneration: { strings: false, wasm: false },
    extend: (context) => Object.assign(context, { BASE_URL: server.url, __edge_wasm_llmbase_core: wasmModule }),
    initialCode: readFileSync(join(outdir, `${name}.js`), 'utf8'),
  });
  const response = await runtime.dispatchFetch('http://edge.test/');
  await response.waitUntil();
  return { status: response.status, body: await response.text() };
}

before(async () => {
  server = await startTestServer();
  expected = await expectedResult(server.url);
  app = makeApp('edge');
  wasmModule = new WebAssembly.Module(readFileSync(join(app.dir, 'node_modules', 'llmbase-wasm', 'dist', 'llmbase_core.wasm')));
});

after(async () => {
  app?.cleanup();
  await server?.close();
});

test('edge-runtime: the edge-light entry streams, chats and lists models without eval or a wasm compile', async () => {
  const answer = await runEdge('edge', handler(''), ['edge-light', 'worker', 'browser'], [edgeWasmBinding]);
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), expected);
});

test('edge-runtime: the browser entry in an import.meta-less bundle fails its first call with the fix, not at import', async () => {
  const answer = await runEdge('browser', handler(''), ['browser'], []);
  assert.equal(answer.status, 500, answer.body);
  assert.match(answer.body, /^LLMBaseError: llmbase-wasm cannot locate llmbase_core\.wasm: .*configureWasm\(\{ module \}\)/);
});
