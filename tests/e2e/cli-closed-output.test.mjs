// `llmbase chat … | head -c 300`: when stdout's reader goes away, both CLIs end quietly (0 or SIGPIPE's 141) and the request is aborted.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { nextEvent, startTestServer } from './helpers/server.mjs';
import { CLIS } from './helpers/cli.mjs';
const KEY = 'llmbase_closed_output_key';
const PROMPT = `echo: ${'a long reply that keeps streaming '.repeat(400)}`;

let server;

before(async () => {
  server = await startTestServer({ chunkDelayMs: 2, keys: [KEY] });
});
after(() => server?.close());

/**
 * Runs `command` and closes the read end of its stdout once `bytes` have arrived (what `head -c`
 * does). Resolves with the exit code, the signal and everything it wrote to stderr.
 */
function runAndCloseAfter(command, args, bytes) {
  return new Promise((resolve) => {
    const env = { ...process.env, LLMBASE_API_KEY: KEY, LLMBASE_BASE_URL: server.url, LLMBASE_MODEL: 'qwen/qwen3.5-9b' };
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let received = 0;
    let stderr = '';
    child.stdout.on('data', (piece) => {
      received += piece.length;
      if (received >= bytes) child.stdout.destroy();
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code, signal) => resolve({ code, signal, stderr, received }));
  });
}

describe('a closed stdout', () => {
  for (const [name, command, leading] of CLIS) {
    it(`${name} CLI: ends quietly with 0 or 141 and aborts the request`, async () => {
      const closed = nextEvent(server.stats.events, 'client-closed');
      const result = await runAndCloseAfter(command, [...leading, 'chat', PROMPT], 300);
      assert.ok(result.received >= 300, 'the reply had started');
      const quiet = result.code === 0 || result.code === 141 || result.signal === 'SIGPIPE';
      assert.ok(quiet, `${name}: exit ${result.code}, signal ${result.signal}`);
      assert.equal(result.stderr, '', `${name}: nothing on stderr (no EPIPE stack trace)`);
      const event = await closed;
      assert.ok(event.chunksSent > 0, 'the server saw the request go away mid-stream');
    });
  }
});
