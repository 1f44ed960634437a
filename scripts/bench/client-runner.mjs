// Benchmark child process: streams one bench body with one client and prints {counts, ms, cpuUs, maxRssKB, clientAddedMs} as JSON.
// Usage: node client-runner.mjs CLIENT BASE_URL   CLIENT = wasm | openai | plain | cold-wasm | cold-openai
//        node client-runner.mjs ttft-CLIENT - PAUSE_MS   (a pausing server in this process, one clock)
// `ms` and `cpuUs` (process.cpuUsage(), user+sys of this process) run from just before the request
// to the end of the stream (imports excluded); the cold-* modes measure import + instantiate only.
import { performance } from 'node:perf_hooks';
import { buildStream, startStreamServer } from './stream-server.mjs';
import { newTally, plainLoop } from './tally.mjs';

const [mode, urlArg, pauseMs = '0'] = process.argv.slice(2);
const client = mode.replace(/^ttft-/, '');
const tag = 'ttft';
let headers = {};
// For time to first token the server runs in this process, so both times come from one clock.
const ttftServer = mode.startsWith('ttft-') ? await startStreamServer(buildStream(50)) : null;
const baseURL = ttftServer ? ttftServer.url : urlArg;
const params = { model: 'bench/model', messages: [{ role: 'user', content: 'bench' }], stream: true };
const now = () => performance.timeOrigin + performance.now();

let started = 0;
let cpuStart = null;
const startClock = () => {
  cpuStart = process.cpuUsage();
  started = now();
};

async function consume(stream) {
  const tally = newTally(now);
  for await (const chunk of stream) tally.add(chunk);
  return tally;
}

async function runWasm() {
  const { LLMBase, validateRequest } = await import('../../dist/index.mjs');
  // Validation off: the benchmark measures streaming, not the pre-flight metadata request.
  const llm = new LLMBase({ apiKey: 'llmbase_bench', baseURL, validation: 'off', maxRetries: 0 });
  await validateRequest({ model: 'x', messages: [] }, null); // instantiate the wasm before the clock starts
  startClock();
  return consume(await llm.chat.completions.create(params, { headers }));
}

async function runOpenAI() {
  const { default: OpenAI } = await import('openai');
  const llm = new OpenAI({ apiKey: 'llmbase_bench', baseURL, maxRetries: 0 });
  startClock();
  return consume(await llm.chat.completions.create(params, { headers }));
}

// The JS lower bound: fetch, TextDecoder, split on blank lines, JSON.parse each data line.
async function runPlain() {
  startClock();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer llmbase_bench', ...headers },
    body: JSON.stringify(params),
  });
  return plainLoop(response.body, newTally(now));
}

async function coldWasm() {
  const t0 = now();
  const { LLMBase, validateRequest } = await import('../../dist/index.mjs');
  new LLMBase({ apiKey: 'llmbase_bench' });
  await validateRequest({ model: 'x', messages: [] }, null); // forces the wasm instantiation
  return { coldMs: now() - t0 };
}

async function coldOpenAI() {
  const t0 = now();
  const { default: OpenAI } = await import('openai');
  new OpenAI({ apiKey: 'llmbase_bench' });
  return { coldMs: now() - t0 };
}

const runners = { wasm: runWasm, openai: runOpenAI, plain: runPlain, 'cold-wasm': coldWasm, 'cold-openai': coldOpenAI };
if (ttftServer) {
  // One unpaused request first: the measured one then sees warm code paths and a warm connection,
  // as a chat UI's second message does.
  await runners[client]();
  headers = { 'x-bench-pause-ms': pauseMs, 'x-bench-tag': tag };
}
const result = await runners[client]();
const ms = now() - started;
const cpu = cpuStart ? process.cpuUsage(cpuStart) : null;
const out = result.counts ? { counts: result.counts(), ms, cpuUs: cpu.user + cpu.system } : result;
if (ttftServer) {
  out.clientAddedMs = result.first - ttftServer.firstChunkAt.get(tag);
  await ttftServer.close();
}
console.log(JSON.stringify({ ...out, maxRssKB: process.resourceUsage().maxRSS }));
