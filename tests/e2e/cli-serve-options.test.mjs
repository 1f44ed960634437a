// node:test: the defaults `llmbase serve` hands the local server and the proxy (chosen by the C++ front end, src/cli/serve_options.cpp) are the JS server's and proxy's own constants, and its help shows them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { DEFAULT_BALANCE_USD, DEFAULT_CHUNK_DELAY_MS, DEFAULT_MAX_CONCURRENT } from '../../dist/server/index.mjs';
import {
  DEFAULT_PROXY_MAX_TOKENS_CAP,
  DEFAULT_PROXY_RATE_LIMIT,
  DEFAULT_SHUTDOWN_TIMEOUT_MS,
  DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS,
  DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS,
} from '../../dist/proxy-node.mjs';

const require = createRequire(import.meta.url);
// The Node CLI's own front end, loaded as dist/cli.mjs loads it.
const frontEnd = await require('../../dist/llmbase_cli.node.cjs')({
  wasmBinary: readFileSync(new URL('../../dist/llmbase_cli.node.wasm', import.meta.url)),
});

/** The first action of the Node CLI's front end for `llmbase ARGS`. */
function firstAction(args) {
  const run = new frontEnd.CliRun(JSON.stringify(args), '');
  try {
    return JSON.parse(run.next());
  } finally {
    run.delete();
  }
}

test('serve hands the local server its documented defaults, which are the server constants', () => {
  const action = firstAction(['serve']);
  assert.equal(action.type, 'serve');
  assert.deepEqual(action.options, {
    mode: 'local',
    port: 8787,
    host: '127.0.0.1',
    quiet: false,
    staticMounts: [],
    server: { balance: DEFAULT_BALANCE_USD, chunkDelayMs: DEFAULT_CHUNK_DELAY_MS, maxConcurrent: DEFAULT_MAX_CONCURRENT },
  });
});

test('serve --proxy hands the proxy its documented defaults, which are the proxy constants', () => {
  const action = firstAction(['serve', '--proxy', '--upstream', 'http://127.0.0.1:9/v1']);
  assert.equal(action.type, 'serve');
  assert.deepEqual(action.options.proxy, {
    upstream: 'http://127.0.0.1:9/v1',
    maxTokensCap: DEFAULT_PROXY_MAX_TOKENS_CAP,
    rateLimit: DEFAULT_PROXY_RATE_LIMIT,
    trustProxy: false,
    upstreamHeadersTimeout: DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS,
    upstreamIdleTimeout: DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS,
    shutdownTimeout: DEFAULT_SHUTDOWN_TIMEOUT_MS,
  });
});

test('serve --help shows the same defaults', () => {
  const action = firstAction(['serve', '--help']);
  assert.equal(action.type, 'finish');
  assert.equal(action.exitCode, 0);
  const help = action.out;
  for (const [option, shown] of [
    ['--balance', `(default ${DEFAULT_BALANCE_USD})`],
    ['--chunk-delay-ms', `(default ${DEFAULT_CHUNK_DELAY_MS};`],
    ['--max-concurrent', `(default ${DEFAULT_MAX_CONCURRENT})`],
    ['--max-tokens-cap', `(default ${DEFAULT_PROXY_MAX_TOKENS_CAP})`],
    ['--rate-limit', `default ${DEFAULT_PROXY_RATE_LIMIT})`],
    ['--shutdown-timeout', `(default ${DEFAULT_SHUTDOWN_TIMEOUT_MS})`],
  ]) {
    const line = help.split('\n').find((l) => l.startsWith(`  ${option} `));
    assert.ok(line && line.includes(shown), `${option}: ${line}`);
  }
  // The two upstream timeouts show their default on the line after the option.
  assert.match(help, new RegExp(`--upstream-headers-timeout MS .*\\n +\\(default ${DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS}\\)`));
  assert.match(help, new RegExp(`--upstream-idle-timeout MS .*\\n +\\(default ${DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS}\\)`));
});
