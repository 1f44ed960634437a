// Runtimes matrix, Cloudflare Workers cells: a wrangler-style esbuild bundle run in workerd through miniflare.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestServer } from '../e2e/helpers/server.mjs';
import { expectedResult, lastJson, makeApp, nodeBinary, nodeVersions, ROOT, run } from './helpers/matrix.mjs';
import { bundle, externalWasm, WRANGLER_CONDITIONS } from './helpers/bundle.mjs';

const RUNNER = fileURLToPath(new URL('./helpers/workerd-runner.mjs', import.meta.url));

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

async function runWorker(name, source, conditions, flags = [], nodePaths = []) {
  const outdir = join(app.dir, 'out', name);
  mkdirSync(outdir, { recursive: true });
  writeFileSync(join(app.dir, `${name}.mjs`), source);
  await bundle({
    entry: join(app.dir, `${name}.mjs`),
    outdir,
    outName: 'worker.mjs',
    conditions,
    plugins: [externalWasm(outdir)],
    nodePaths,
  });
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

test("Workers: configureWasm({ module }) with the package's .wasm makes the browser entry work too", async () => {
  const prelude = `import wasm from 'llmbase-wasm/llmbase_core.wasm';
import { configureWasm } from 'llmbase-wasm';
configureWasm({ module: wasm });`;
  const answer = await runWorker('configured', worker(prelude), ['browser']);
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), expected);
});

// The AI SDK provider (llmbase-wasm/ai-sdk) has its own entries: the Worker must get the workerd one.
const aiSdkWorker = `import { generateText, streamText } from 'ai';
import { createLLMBase } from 'llmbase-wasm/ai-sdk';
import { MODEL, MESSAGES } from './scenario.mjs';
export default {
  async fetch(request, env) {
    try {
      const llmbase = createLLMBase({ apiKey: 'llmbase_runtime_matrix', baseURL: env.BASE_URL });
      const prompt = MESSAGES[0].content;
      const streamed = streamText({ model: llmbase(MODEL), prompt, maxRetries: 0 });
      let text = '';
      for await (const part of streamed.textStream) text += part;
      const whole = await generateText({ model: llmbase(MODEL), prompt, maxRetries: 0 });
      return Response.json({ streamed: text, finish: await streamed.finishReason, text: whole.text });
    } catch (error) {
      return new Response(error.name + ': ' + error.message, { status: 500 });
    }
  },
};
`;

test('Workers: llmbase-wasm/ai-sdk takes the workerd entry; streamText and generateText work', async () => {
  // `ai` and the provider's peer @ai-sdk/provider come from the repo's node_modules (devDependencies).
  const answer = await runWorker('ai-sdk', aiSdkWorker, WRANGLER_CONDITIONS, [], [join(ROOT, 'node_modules')]);
  assert.equal(answer.status, 200, answer.body);
  assert.deepEqual(JSON.parse(answer.body), { streamed: expected.streamed, finish: expected.streamFinish, text: expected.text });
});
