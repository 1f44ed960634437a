// node:test end-to-end: a stream that never ends meets the reply cap, the keep-no-content mode and flat memory, in the JS client and both CLIs.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import LLMBase, { APIError, ReplyTooLargeError, coreDiagnostics } from '../../dist/index.mjs';
import { CLIS } from './helpers/cli.mjs';
import { startEndlessServer } from './helpers/endless-server.mjs';

const MODEL = 'qwen/qwen3.5-9b';
const KEY = 'llmbase_reply_limits_key';
const MiB = 1 << 20;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ask = (extra = {}) => ({ model: MODEL, messages: [{ role: 'user', content: 'forever' }], stream: true, ...extra });

// Peak resident memory of a running child (VmHWM), read from /proc until it exits.
function watchPeakRss(pid) {
  const watch = { peakKB: 0 };
  const read = () => {
    try {
      const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (match) watch.peakKB = Math.max(watch.peakKB, Number(match[1]));
    } catch {
      /* exited */
    }
  };
  const timer = setInterval(read, 20);
  watch.stop = () => {
    read();
    clearInterval(timer);
  };
  return watch;
}

/**
 * Runs a CLI against the endless stream; `stopAfterBytes`: once that much reached stdout, the
 * run is interrupted (SIGINT), as a user would. → { code, stdout bytes, stderr, peakMB }.
 */
function runCli(command, args, baseURL, { stopAfterBytes } = {}) {
  return new Promise((resolve) => {
    const env = { ...process.env, LLMBASE_API_KEY: KEY, LLMBASE_BASE_URL: baseURL, LLMBASE_MODEL: MODEL };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const watch = watchPeakRss(child.pid);
    let bytes = 0;
    let stderr = '';
    let interrupted = false;
    child.stdout.on('data', (d) => {
      bytes += d.length;
      if (stopAfterBytes && bytes >= stopAfterBytes && !interrupted) {
        interrupted = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => {
      watch.stop();
      resolve({ code, bytes, stderr, interrupted, peakMB: watch.peakKB / 1024 });
    });
  });
}

// Diagnostics once no call handle is live: a cancelled body is released when its cancel
// settles, shortly after the error reached the caller (tests of this file run one at a time).
async function settledDiagnostics() {
  for (let i = 0; i < 50; i += 1) {
    const now = await coreDiagnostics();
    if (now.activeCalls === 0) return now;
    await sleep(100);
  }
  return coreDiagnostics();
}

let endless;
before(async () => {
  endless = await startEndlessServer();
});
after(() => endless.close());

describe('the JS client against a stream that never ends', () => {
  test('maxReplyBytes ends the stream with ReplyTooLargeError carrying the partial reply; the wasm heap returns', async () => {
    const client = new LLMBase({ apiKey: KEY, baseURL: endless.url, validation: 'off', maxRetries: 0, maxReplyBytes: MiB, timeout: 60000 });
    const before = await settledDiagnostics();
    const stream = await client.chat.completions.create(ask());
    let delivered = 0;
    const error = await (async () => {
      try {
        for await (const chunk of stream) delivered += (chunk.choices[0].delta.content || '').length;
      } catch (e) {
        return e;
      }
    })();
    assert.ok(error instanceof ReplyTooLargeError && error instanceof APIError, `got ${error}`);
    assert.equal(error.code, 'reply_too_large');
    assert.match(error.message, /1048576 bytes/);
    const content = error.partial.choices[0].message.content;
    assert.ok(content.length > MiB && content.length < MiB + 1024, `partial of ${content.length} chars`);
    assert.ok(delivered <= content.length, 'no chunk past the cap was handed out');
    await assert.rejects(stream.finalChatCompletion(), ReplyTooLargeError);
    const after = await settledDiagnostics();
    assert.equal(after.activeCalls, 0, 'every call handle was released');
    assert.ok(after.heapInUse - before.heapInUse < 256 * 1024, `the core kept ${after.heapInUse - before.heapInUse} bytes after the call`);
  });

  test('a reasoning stream is capped the same way', async () => {
    const client = new LLMBase({
      apiKey: KEY,
      baseURL: endless.reasoningUrl,
      validation: 'off',
      maxRetries: 0,
      maxReplyBytes: 256 * 1024,
      timeout: 60000,
    });
    const stream = await client.chat.completions.create(ask());
    const error = await stream.finalChatCompletion().catch((e) => e);
    assert.ok(error instanceof ReplyTooLargeError, `got ${error}`);
    assert.ok(error.partial.choices[0].message.reasoning_content.length > 256 * 1024);
  });

  test('with the default cap, process RSS stays bounded and the wasm heap returns to its size before the call', async () => {
    const client = new LLMBase({ apiKey: KEY, baseURL: endless.url, validation: 'off', maxRetries: 0, timeout: 60000 });
    const before = await settledDiagnostics();
    const rssBefore = process.memoryUsage().rss;
    let peak = rssBefore;
    const timer = setInterval(() => {
      peak = Math.max(peak, process.memoryUsage().rss);
    }, 20);
    const stream = await client.chat.completions.create(ask());
    const error = await (async () => {
      try {
        for await (const chunk of stream) assert.ok(chunk.choices);
      } catch (e) {
        return e;
      } finally {
        clearInterval(timer);
      }
    })();
    assert.ok(error instanceof ReplyTooLargeError, `got ${error}`);
    assert.ok(error.partial.choices[0].message.content.length > 16 * MiB);
    assert.ok(peak - rssBefore < 400 * MiB, `RSS grew by ${((peak - rssBefore) / MiB).toFixed(0)} MB`);
    const after = await settledDiagnostics();
    assert.equal(after.activeCalls, 0, 'every call handle was released');
    assert.ok(after.heapInUse - before.heapInUse < 256 * 1024, `the core kept ${after.heapInUse - before.heapInUse} bytes after the call`);
  });

  test('keepContent: false streams far past the cap and the core holds no content', async () => {
    const client = new LLMBase({ apiKey: KEY, baseURL: endless.url, validation: 'off', maxRetries: 0, maxReplyBytes: MiB, timeout: 60000 });
    const before = await settledDiagnostics();
    const stream = await client.chat.completions.create(ask(), { keepContent: false });
    let delivered = 0;
    let heapPeak = 0;
    let chunks = 0;
    for await (const chunk of stream) {
      delivered += (chunk.choices[0].delta.content || '').length;
      chunks += 1;
      if (chunks % 1000 === 0) heapPeak = Math.max(heapPeak, (await coreDiagnostics()).heapInUse - before.heapInUse);
      if (delivered > 8 * MiB) break;
    }
    assert.ok(delivered > 8 * MiB);
    assert.ok(heapPeak < 2 * MiB, `the core held up to ${heapPeak} bytes while streaming`);
    const after = await settledDiagnostics();
    assert.equal(after.activeCalls, 0, 'every call handle was released');
    assert.ok(after.heapInUse - before.heapInUse < 256 * 1024, `the core kept ${after.heapInUse - before.heapInUse} bytes after the call`);
  });

  test('maxReplyBytes and keepContent are checked', async () => {
    assert.throws(() => new LLMBase({ apiKey: KEY, maxReplyBytes: 0 }), /maxReplyBytes.*positive integer/);
    assert.throws(() => new LLMBase({ apiKey: KEY, maxReplyBytes: 1.5 }), /maxReplyBytes/);
    const client = new LLMBase({ apiKey: KEY, baseURL: endless.url, validation: 'off', maxReplyBytes: Infinity });
    await assert.rejects(client.chat.completions.create(ask(), { keepContent: 'no' }), /keepContent.*true or false/);
  });
});

describe('the CLIs against a stream that never ends', () => {
  for (const [name, command, leading] of CLIS) {
    test(`${name} CLI prints far past the cap with flat memory (nothing it prints is kept)`, async () => {
      const run = await runCli(command, [...leading, 'chat', '--max-retries', '0', 'forever'], endless.url, { stopAfterBytes: 40 * MiB });
      assert.ok(run.interrupted && run.bytes >= 40 * MiB, `${name}: stopped after ${run.bytes} bytes: ${run.stderr}`);
      assert.doesNotMatch(run.stderr, /size cap/);
      const bound = name === 'native' ? 64 : 256;
      assert.ok(run.peakMB < bound, `${name}: peak RSS ${run.peakMB.toFixed(0)} MB for ${(run.bytes / MiB).toFixed(0)} MB printed`);
    });

    test(`${name} CLI --json stops at the reply cap with exit 8 and bounded memory`, async () => {
      const run = await runCli(
        command,
        [...leading, 'chat', '--json', '--max-retries', '0', '--timeout', '120000', 'forever'],
        endless.url
      );
      assert.equal(run.code, 8, `${name}: exit ${run.code}: ${run.stderr}`);
      assert.match(run.stderr, /size cap/);
      assert.equal(run.bytes, 0, 'no completion is printed for a failed call');
      assert.ok(run.peakMB < 400, `${name}: peak RSS ${run.peakMB.toFixed(0)} MB`);
    });
  }
});
