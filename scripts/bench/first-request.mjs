// Benchmark child process: the first chat request of a fresh client against a server in this process (one clock): create() → the server seeing the POST.
// Usage: node first-request.mjs MODE   MODE = wasm | wasm-prefetched | wasm-given | wasm-second | wasm-off | openai | plain
//   wasm             validation on (the default): GET /v1/model-metadata, then the POST
//   wasm-prefetched  validation on, client.models.metadata() awaited before the clock starts
//   wasm-given       validation on, the metadata handed to the client (modelMetadata option):
//                    no metadata request at all
//   wasm-second      validation on, the second request of the client (metadata cached and parsed)
//   wasm-off         validation: 'off'
// Prints {postMs, metadataMs, findings, counts}: ms from the create() call to the server's
// 'request' event for POST /v1/chat/completions (and for the metadata GET, when one was sent).
// The wasm is instantiated and Node's fetch loaded before the clock starts (cold start is apart).
import { performance } from 'node:perf_hooks';
import { buildStream, startStreamServer } from './stream-server.mjs';
import { newTally, plainLoop } from './tally.mjs';

const mode = process.argv[2];
const server = await startStreamServer(buildStream(20));
const baseURL = server.url;
const params = { model: 'bench/model', messages: [{ role: 'user', content: 'bench' }], stream: true };
const now = () => performance.timeOrigin + performance.now();

async function consume(stream) {
  const tally = newTally(now);
  for await (const chunk of stream) tally.add(chunk);
  return tally;
}

// Each setup does its untimed work and returns the timed call.
async function wasmSetup(options, before) {
  const { LLMBase, validateRequest } = await import('../../dist/index.mjs');
  await validateRequest({ model: 'x', messages: [] }, null); // the wasm instantiated (cold start is measured apart)
  const llm = new LLMBase({ apiKey: 'llmbase_bench', baseURL, maxRetries: 0, ...options });
  if (before) await before(llm);
  return async () => {
    const stream = await llm.chat.completions.create(params);
    const tally = await consume(stream);
    return { tally, findings: stream.validation ? stream.validation.findings.length : 0 };
  };
}

const setups = {
  wasm: () => wasmSetup({}),
  'wasm-prefetched': () => wasmSetup({}, (llm) => llm.models.metadata()),
  'wasm-given': async () => {
    const metadata = await (await fetch(`${baseURL}/model-metadata`, { headers: { authorization: 'Bearer llmbase_bench' } })).json();
    return wasmSetup({ modelMetadata: metadata });
  },
  'wasm-second': () => wasmSetup({}, async (llm) => consume(await llm.chat.completions.create(params))),
  'wasm-off': () => wasmSetup({ validation: 'off' }),
  openai: async () => {
    const { default: OpenAI } = await import('openai');
    const llm = new OpenAI({ apiKey: 'llmbase_bench', baseURL, maxRetries: 0 });
    return async () => ({ tally: await consume(await llm.chat.completions.create(params)), findings: 0 });
  },
  plain: async () => async () => {
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: 'Bearer llmbase_bench' },
      body: JSON.stringify(params),
    });
    return { tally: await plainLoop(response.body, newTally(now)), findings: 0 };
  },
};

if (!setups[mode]) throw new Error(`first-request: unknown mode ${mode}`);
const timed = await setups[mode]();
// Node loads its fetch (undici) on first use, some 60 ms that every fetch-based client pays: paid
// here, before the clock, so the figure is what the client itself adds.
await (await fetch(`${server.origin}/bench/clock`)).text();
const t0 = now();
const { tally, findings } = await timed();
const after = (method, suffix) => server.seen.find((s) => s.at >= t0 && s.method === method && s.path.endsWith(suffix));
const post = after('POST', '/chat/completions');
const metadata = after('GET', '/model-metadata');
await server.close();
console.log(
  JSON.stringify({
    postMs: post ? post.at - t0 : null,
    metadataMs: metadata ? metadata.at - t0 : null,
    findings,
    counts: tally.counts(),
  })
);
