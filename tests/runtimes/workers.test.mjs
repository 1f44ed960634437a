// Runtimes matrix, Cloudflare Workers cells: a wrangler-style esbuild bundle run in workerd through miniflare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, lastJson, makeApp, nodeBinary, nodeVersions, run } from './helpers/matrix.mjs';
import { bundle, externalWasm } from './helpers/bundle.mjs';

const RUNNER = fileURLToPath(new URL('./helpers/workerd-runner.mjs', import.meta.url));
// wrangler resolves packages with these conditions (and the browser field) for a Worker.
const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];

let server;
let app;
let expected;

const worker = (prelude) => `import LLMBase from 'llmbase-wasm';
${prelude}
import { runScenario } from './scenario.mjs';
export default {
  async fetch(request, env) {
    try {
      return Response.json(await runScenario(LLMBase, env.BASE_URL));
    } catch (error) {
      return new Response(error.name + ': ' + error.message, { status: 500 });
    }
  },
};
`;

async function runWorker(name, source, conditions, flags = []) {
  const outdir = join(app.dir, 'out', name);
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(app.dir, `${name}.mjs`), source);
  await bundle({ entry: join(app.dir, `${name}.mjs`), outdir, outName: 'worker.mjs', conditions, plugins: [externalWasm(outdir)] });
  // miniflare needs Node 22 or newer: the newest tested Node runs it.
  const node = nodeBinary(nodeVersions()[nodeVersions().length - 1]);
  return lastJson(await run(node, [RUNNER, outdir, server.url, ...flags], { cwd: app.dir }));
}

before(async () => {
  server = await startTestServer();
  expected = await expectedResult(server.url);
  app = makeApp('workers');
});

after(async () => {
  app?.cleanup();
  await server?.close();
});

for (const flags of [[], ['nodejs_compat']]) {
  test(`Workers${flags.length ? ' with nodejs_compat' : ''}: the workerd entry streams, chats and lists models`, async () => {
    const answer = await runWorker(`worker-${flags.length}`, worker(''), WRANGLER_CONDITIONS, flags);
    assert.equal(answer.status, 200, answer.body);
    assert.deepEqual(JSON.parse(answer.body), expected);
  });
}

test('Workers: a bundle of the browser entry starts, and its first call says how to pass the wasm', async () => {
  const answer = await runWorker('browser-entry', worker(''), ['browser']);
  assert.equal(answer.status, 500, answer.body);
  assert.match(answer.body, /^LLMBaseError: llmbase-wasm /);
  assert.match(answer.body, /configureWasm\(\{ module \}\)/);
});

test('Workers: configureWasm({ module }) with the package\'s .wasm makes the browser entry work too', async () => {
  const prelude = `import wasm from 'llmbase-wasm/llmbase_core.wasm';
import { configureWasm } from 'llmbase-wasm';
configureWasm({ module: wasm });`;
  const answer = await runWorker('configured', worker(prelude), ['browser']);
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), expected);
});
