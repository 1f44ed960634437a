// Benchmark child process: streams the bench body once with one client and prints {chunks, chars, ms, firstTokenAt, maxRssKB} as JSON.
// Usage: node client-runner.mjs CLIENT BASE_URL   CLIENT = wasm | openai | plain | cold-wasm | cold-openai
//        node client-runner.mjs ttft-CLIENT - PAUSE_MS   (a pausing server in this process, one clock)
// `ms` runs from just before the request to the end of the stream (imports excluded); the cold-*
// modes measure import + instantiate only.
import { performance } from 'node:perf_hooks';
import { buildStream, startStreamServer } from './stream-server.mjs';

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

// Counts chunks and content of chat.completion.chunk objects, noting when the first token came.
function newTally() {
  const tally = { chunks: 0, chars: 0, first: 0 };
  tally.add = (chunk) => {
    const content = chunk.choices[0] && chunk.choices[0].delta.content;
    if (content) {
      if (!tally.first) tally.first = now();
      tally.chars += content.length;
    }
    tally.chunks += 1;
  };
  return tally;
}

async function consume(stream) {
  const tally = newTally();
  for await (const chunk of stream) tally.add(chunk);
  return { chunks: tally.chunks, chars: tally.chars, first: tally.first };
}

async function runWasm() {
  const { LLMBase, validateRequest } = await import('../../dist/index.mjs');
  // Validation off: the benchmark measures streaming, not the pre-flight metadata request.
  const llm = new LLMBase({ apiKey: 'llmbase_bench', baseURL, validation: 'off', maxRetries: 0 });
  await validateRequest({ model: 'x', messages: [] }, null); // instantiate the wasm before the clock starts
  started = now();
  return consume(await llm.chat.completions.create(params, { headers }));
}

async function runOpenAI() {
  const { default: OpenAI } = await import('openai');
  const llm = new OpenAI({ apiKey: 'llmbase_bench', baseURL, maxRetries: 0 });
  started = now();
  return consume(await llm.chat.completions.create(params, { headers }));
}

// The JS lower bound: fetch, TextDecoder, split on blank lines, JSON.parse each data line.
async function runPlain() {
  started = now();
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer llmbase_bench', ...headers },
    body: JSON.stringify(params),
  });
  // Inline rather than an async generator: the lower bound should pay for nothing extra.
  const tally = newTally();
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of response.body) {
    buffer += decoder.decode(bytes, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const event = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (event.startsWith('data: ') && event !== 'data: [DONE]') tally.add(JSON.parse(event.slice(6)));
    }
  }
  return { chunks: tally.chunks, chars: tally.chars, first: tally.first };
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
const clientAddedMs = ttftServer ? result.first - ttftServer.firstChunkAt.get(tag) : undefined;
if (ttftServer) await ttftServer.close();
console.log(JSON.stringify({ ...result, ms, firstTokenAt: result.first, clientAddedMs, maxRssKB: process.resourceUsage().maxRSS }));
