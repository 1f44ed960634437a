// node:test: every fault of the local server against the wasm client and the native CLI: the documented outcome, in bounded time, without leaks.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import LLMBase, { coreDiagnostics } from '../../dist/index.mjs';
import { startServer } from '../../dist/server/index.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nativeCli = join(root, 'build', 'native', 'llmbase');
const MODEL = 'qwen/qwen3.5-9b'; // text only: content arrives from the first chunk
const BOUND_MS = 15_000; // every case must end well within this, whatever its outcome

// [fault, options, expected wasm outcome (error class name or 'ok'), expected native exit code]
const MATRIX = [
  ['', {}, 'ok', 0],
  ['drop-after:3', {}, 'IncompleteStreamError', 8],
  ['stall:5000', { idleTimeout: 500 }, 'IdleTimeoutError', 6],
  ['error-frame-after:3', {}, 'APIError', 8],
  ['error-event-after:3', {}, 'APIError', 8],
  ['malformed-after:2', {}, 'APIError', 8],
  ['no-done', {}, 'IncompleteStreamError', 8],
  ['status:500', { maxRetries: 0 }, 'InternalServerError', 1],
  ['status:503', { maxRetries: 0 }, 'InternalServerError', 1],
  ['status:400', {}, 'BadRequestError', 7],
  ['status:403', {}, 'PermissionDeniedError', 1],
  ['rate-limit:0.2', { maxRetries: 0 }, 'RateLimitError', 5],
  ['rate-limit:0.2', { maxRetries: 2 }, 'RateLimitError', 5], // the fault answers 429 every time
  ['fail-first:2:503', { maxRetries: 2 }, 'ok', 0],
  ['fail-first:1:429:0.2', { maxRetries: 1 }, 'ok', 0],
  ['split-bytes', {}, 'ok', 0],
  ['crlf', {}, 'ok', 0],
  ['keepalive', {}, 'ok', 0],
  ['bom', {}, 'ok', 0],
  ['sse-fields', {}, 'ok', 0],
  ['multiline-data', {}, 'ok', 0],
  ['split-bytes,crlf,bom,keepalive,multiline-data,sse-fields', {}, 'ok', 0],
  ['unavailable', {}, 'ok', 0],
  ['unavailable', { fallback: false, maxRetries: 0 }, 'InternalServerError', 1],
];

let server;
let client;

before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 1 });
  client = new LLMBase({ apiKey: 'llmbase_matrix_key', baseURL: server.url });
});
after(() => server.close());

function withinBound(promise, label) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${label} did not end within ${BOUND_MS} ms`)), BOUND_MS);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

async function runWasm(fault, options) {
  const headers = fault ? { 'x-llmbase-test-fault': fault, 'x-llmbase-test-attempt-key': randomUUID() } : {};
  const model = fault.startsWith('unavailable') ? 'z-ai/glm-5' : MODEL;
  const chunks = [];
  try {
    const stream = await client.chat.completions.create(
      { model, stream: true, messages: [{ role: 'user', content: 'matrix' }] },
      { headers, ...options }
    );
    for await (const chunk of stream) chunks.push(chunk);
    return { outcome: 'ok', completion: await stream.finalChatCompletion(), chunks };
  } catch (error) {
    return { outcome: error.constructor.name, error, chunks };
  }
}

function runNative(fault, options) {
  const args = ['chat', '--model', fault.startsWith('unavailable') ? 'z-ai/glm-5' : MODEL];
  if (fault) args.push('--header', `x-llmbase-test-fault: ${fault}`, '--header', `x-llmbase-test-attempt-key: ${randomUUID()}`);
  if (options.maxRetries !== undefined) args.push('--max-retries', String(options.maxRetries));
  if (options.idleTimeout !== undefined) args.push('--idle-timeout', String(options.idleTimeout));
  if (options.fallback === false) args.push('--header', 'X-LLMBase-Fallback: off');
  args.push('matrix');
  return new Promise((resolve) => {
    const child = spawn(nativeCli, args, {
      env: { ...process.env, LLMBASE_API_KEY: 'llmbase_matrix_key', LLMBASE_BASE_URL: server.url },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

for (const [fault, options, expected, exitCode] of MATRIX) {
  const label = `${fault || 'no fault'} ${JSON.stringify(options)}`;
  test(`wasm client: ${label} → ${expected}`, async () => {
    const result = await withinBound(runWasm(fault, options), label);
    assert.equal(result.outcome, expected, result.error ? `${result.error.name}: ${result.error.message}` : '');
    if (expected === 'ok') {
      assert.equal(result.completion.choices[0].finish_reason, 'stop');
      assert.ok(result.completion.choices[0].message.content.length > 0);
    } else if (result.chunks.length > 0) {
      // A stream that failed after delivering chunks keeps what arrived.
      assert.ok(result.error.partial, 'the error carries the partial completion');
      const streamed = result.chunks.map((c) => c.choices[0]?.delta?.content ?? '').join('');
      assert.equal(result.error.partial.choices[0].message.content ?? '', streamed);
    }
  });

  test(`native CLI: ${label} → exit ${exitCode}`, async () => {
    const result = await withinBound(runNative(fault, options), label);
    assert.equal(result.code, exitCode, result.stderr);
    if (exitCode === 0) assert.ok(result.stdout.trim().length > 0);
    else assert.equal(result.stderr.trim().split('\n').length, 1, 'one error line');
  });
}

test('after the whole matrix: no wasm call state left, no request in flight, no stray sockets', async () => {
  await new Promise((r) => setTimeout(r, 200));
  const diagnostics = await coreDiagnostics();
  assert.equal(diagnostics.activeCalls, 0, 'every call freed its wasm state');
  assert.equal(server.stats.inflight, 0, 'the server is not still writing to anyone');
  // Both ends of a connection live in this process. Kept-alive pooled connections may stay
  // open; anything beyond a handful would be connections of failed or aborted requests.
  const sockets = process.getActiveResourcesInfo().filter((r) => r === 'TCPSocketWrap').length;
  assert.ok(sockets <= 6, `${sockets} TCP sockets open`);
});
