// node:test: the native CLI and the Node CLI print byte-identical output, errors and exit codes, fixture by fixture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../dist/server/index.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const nativeCli = join(root, 'build', 'native', 'llmbase');
const nodeCli = join(root, 'dist', 'cli.mjs');
const transcripts = join(root, 'tests', 'fixtures', 'streams');
const names = readdirSync(transcripts)
  .filter((f) => f.endsWith('.sse'))
  .map((f) => f.slice(0, -4))
  .sort();
let server;

function run(command, args, env, input = '') {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => {
      stdout += d;
    });
    child.stderr.on('data', (d) => {
      stderr += d;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(input);
  });
}

async function both(args, env = {}, input = '') {
  const base = { LLMBASE_API_KEY: 'llmbase_parity_key', LLMBASE_BASE_URL: server.url, LLMBASE_MODEL: '', ...env };
  const [native, node] = await Promise.all([run(nativeCli, args, base, input), run(process.execPath, [nodeCli, ...args], base, input)]);
  return { native, node };
}

function assertSame({ native, node }, label) {
  assert.equal(node.stdout, native.stdout, `${label}: stdout`);
  assert.equal(node.stderr, native.stderr, `${label}: stderr`);
  assert.equal(node.code, native.code, `${label}: exit code`);
}

before(async () => {
  server = await startServer({ port: 0, chunkDelayMs: 1, transcriptsDir: transcripts, keys: ['llmbase_parity_key'] });
});
after(() => server.close());

test('there are fixture transcripts to compare', () => {
  assert.ok(names.length >= 10);
});

for (const name of names) {
  test(`fixture ${name}: same --json output, errors and exit code`, async () => {
    const header = `x-llmbase-test-transcript: ${name}`;
    const json = await both(['chat', '--json', '--max-retries', '0', '--header', header, 'Hello']);
    assertSame(json, `${name} --json`);
    const text = await both(['chat', '--max-retries', '0', '--header', header, 'Hello']);
    assertSame(text, `${name} streamed text`);
    assert.ok(json.native.code === 0 ? json.native.stdout.startsWith('{') : json.native.stderr.startsWith('llmbase: '));
  });
}

const cases = [
  ['models', ['models']],
  ['models --json', ['models', '--json']],
  ['metadata', ['metadata']],
  ['metadata --json', ['metadata', '--json']],
  ['unknown model (404)', ['chat', 'nobody/none', '--model', 'nobody/none']],
  ['wrong key (401)', ['balance'], { LLMBASE_API_KEY: 'llmbase_not_listed' }],
  ['agents key (401)', ['chat', 'hi'], { LLMBASE_API_KEY: 'llmbase_chat_abcdefabcdef' }],
  ['no key', ['chat', 'hi'], { LLMBASE_API_KEY: '' }],
  ['429 without retries', ['chat', '--max-retries', '0', '--header', 'x-llmbase-test-fault: rate-limit:1', 'hi']],
  ['500 without retries', ['chat', '--max-retries', '0', '--header', 'x-llmbase-test-fault: status:500', 'hi']],
  ['stall past the idle timeout', ['chat', '--idle-timeout', '300', '--header', 'x-llmbase-test-fault: stall:3000', 'hi']],

  ['refused before sending', ['chat', '--model', 'qwen/qwen3.5-9b', '--max-tokens', '99999999', 'hi']],
  ['usage: unknown option', ['chat', '--temperature', '2', 'hi']],
  ['usage: bad --max-tokens', ['chat', '--max-tokens', 'lots', 'hi']],

  [
    'validate a file',
    ['validate', '--metadata', join(root, 'tests/fixtures/validation/catalog.json'), '-'],
    {},
    JSON.stringify({
      model: 'qwen/qwen3.5-9b',
      messages: [{ role: 'user', content: 'x' }],
      tools: [{ type: 'function', function: { name: 'f' } }],
    }),
  ],
  [
    'validate live',
    ['validate', '-'],
    {},
    JSON.stringify({ model: 'deepseek/deepseek-v4-flash', messages: [{ role: 'tool', content: 'x' }] }),
  ],
  ['prompt on stdin', ['chat', '--model', 'qwen/qwen3.5-9b', '--max-tokens', '12'], {}, 'echo: from stdin ✓\n'],
  ['balance', ['balance']],
  ['balance --json', ['balance', '--json']],

  // The grammar, the help and the usage errors: one front end, so the same bytes everywhere.
  ['no arguments', []],
  ['--help', ['--help']],
  ['-h', ['-h']],
  ['help', ['help']],
  ['unknown command', ['frobnicate']],
  ['unknown option before the command', ['--bogus']],
  ...['chat', 'models', 'metadata', 'balance', 'validate'].map((name) => [`${name} --help`, [name, '--help']]),
  ['usage: empty prompt on stdin', ['chat'], {}, '\n'],
  ['usage: --model without a value', ['chat', '--model']],
  ['usage: bad --timeout', ['models', '--timeout', '0']],
  ['usage: bad --max-retries', ['models', '--max-retries', 'x']],
  ['usage: a header without a name', ['models', '--header', 'Bearer llmbase_not_echoed']],
  ['usage: validate without a file', ['validate']],
  ['usage: validate an unreadable file', ['validate', '/nonexistent/request.json']],

  // serve's help and usage errors come from the front end too, though only the Node CLI runs it.
  ['serve --help', ['serve', '--help']],
  ['serve --proxy --help', ['serve', '--proxy', '--help']],
  ['serve: unknown option', ['serve', '--bogus']],
  ['serve: --port not a number', ['serve', '--port', 'abc']],
  ['serve: --port without a value', ['serve', '--port']],
  ['serve: --balance negative', ['serve', '--balance', '-1']],
  ['serve: a switch given a value', ['serve', '--quiet=yes']],
  ['serve: a stray argument', ['serve', '8080']],
  ['serve: --proxy without --upstream', ['serve', '--proxy']],
  ['serve: a proxy option without --proxy', ['serve', '--allow-models', 'a/b']],
  ['serve: a local option with --proxy', ['serve', '--proxy', '--upstream', 'http://127.0.0.1:9/v1', '--balance', '3']],
  ['serve: bad --rate-limit', ['serve', '--proxy', '--upstream', 'http://127.0.0.1:9/v1', '--rate-limit', 'fast']],
  ['serve: bad --static-mount', ['serve', '--static-mount', 'nodir']],
];

for (const [label, args, env, input] of cases) {
  test(`${label}: same output, error line and exit code`, async () => {
    const result = await both(args, env, input);
    assertSame(result, label);
  });
}

test('the help lists serve, which only the Node CLI runs', async () => {
  const { native, node } = await both(['--help']);
  assert.equal(native.code, 0);
  assert.match(native.stdout, /^llmbase \d+\.\d+\.\d+: client tools/);
  assert.match(native.stdout, /\n {2}serve {13}start the local LLMBase-compatible server/);
  assert.equal(node.stdout, native.stdout);
  const serve = await both(['serve', '--help']);
  assert.equal(serve.native.code, 0);
  assert.match(serve.native.stdout, /^Usage: llmbase serve \[options\]/);
  assert.match(serve.native.stdout, /\nExit codes: 0 /);
});

test('serve usage errors: one line naming the option and the fix, exit 2, in both CLIs', async () => {
  for (const [args, text] of [
    [['serve', '--bogus'], 'unknown option --bogus'],
    [['serve', '--port', 'abc'], '--port must be a whole number, got "abc"'],
    [['serve', '--proxy'], '--proxy needs --upstream URL (e.g. https://api.llmbase.ai/v1)'],
  ]) {
    const { native, node } = await both(args);
    for (const result of [native, node]) {
      assert.equal(result.code, 2, args.join(' '));
      assert.equal(result.stdout, '');
      assert.equal(
        result.stderr,
        `llmbase: invalid input [usage]: ${text} (see llmbase serve --help) — fix the request or the options and run again\n`
      );
    }
  }
});

// A valid serve: the native CLI checks it and points to the Node CLI; the Node CLI starts the
// server with exactly those options (seen through the running server), then stops on SIGINT.
test('a valid serve: native says it is Node-only (exit 2); Node starts it with those options', async () => {
  const args = ['serve', '--port', '0', '--host', '127.0.0.1', '--balance', '2.5', '--keys', 'llmbase_parity_a', '--chunk-delay-ms', '0'];
  const native = await run(nativeCli, args, {});
  assert.equal(native.code, 2);
  assert.equal(native.stdout, '');
  assert.equal(
    native.stderr,
    'llmbase: serve runs the local server and the key-safe proxy, which only the Node CLI has: run `npx llmbase serve` (see `npx llmbase serve --help`)\n'
  );

  const child = spawn(process.execPath, [nodeCli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal })));
  let stdout = '';
  const url = await new Promise((resolve, reject) => {
    child.stdout.on('data', (d) => {
      stdout += d;
      // The summary is whole once it asks for Ctrl-C.
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)[\s\S]*Press Ctrl-C to stop\./.exec(stdout);
      if (match) resolve(match[1]);
    });
    child.on('close', () => reject(new Error(`serve exited early: ${stdout}`)));
  });
  try {
    assert.match(stdout, /\n {2}balance: \$2\.5 USD\n {2}keys: 1 listed\n/);
    const balance = await fetch(`${url}/balance`, { headers: { authorization: 'Bearer llmbase_parity_a' } });
    assert.deepEqual(await balance.json(), { object: 'balance', currency: 'USD', balance: 2.5 });
    assert.equal((await fetch(`${url}/balance`, { headers: { authorization: 'Bearer llmbase_parity_b' } })).status, 401);
  } finally {
    child.kill('SIGINT');
  }
  assert.deepEqual(await exited, { code: 0, signal: null });
});

// A lost connection is described by each transport's own network stack (undici vs libcurl), so
// only the kind of error, its exit code and the partial output are compared there.
for (const [label, args] of [
  ['drop mid-stream', ['chat', '--header', 'x-llmbase-test-fault: drop-after:3', 'hi']],
  ['unreachable server', ['models', '--max-retries', '0', '--base-url', 'http://127.0.0.1:9/v1']],
]) {
  test(`${label}: same kind of error, exit code and output`, async () => {
    const { native, node } = await both(args);
    assert.equal(node.stdout, native.stdout);
    assert.equal(node.code, native.code);
    const kind = (line) => line.slice(0, line.indexOf(':', 'llmbase: '.length));
    assert.equal(kind(node.stderr), kind(native.stderr));
  });
}

test('exit codes follow the documented table', async () => {
  const expectations = [
    [['chat', '--model', 'nobody/none', 'hi'], {}, 9],
    [['balance'], { LLMBASE_API_KEY: 'llmbase_not_listed' }, 3],
    [['chat', '--max-retries', '0', '--header', 'x-llmbase-test-fault: rate-limit:1', 'hi'], {}, 5],
    [['chat', '--model', 'qwen/qwen3.5-9b', '--max-tokens', '99999999', 'hi'], {}, 7],
    [['chat', '--header', 'x-llmbase-test-fault: drop-after:3', 'hi'], {}, 8],
    [['models', '--max-retries', '0', '--base-url', 'http://127.0.0.1:9/v1'], {}, 6],
    [['chat', '--bogus'], {}, 2],
  ];
  for (const [args, env, code] of expectations) {
    const { native } = await both(args, env);
    assert.equal(native.code, code, `${args.join(' ')}: ${native.stderr}`);
    assert.equal(native.stderr.split('\n').filter(Boolean).length, 1, 'one line on stderr');
  }
});
