// node:test: `cmake --install` the native build, then a separate CMake project finds it with find_package(llmbase) and streams.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../../dist/server/index.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
let work;
let server;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'llmbase-consumer-'));
  server = await startServer({ port: 0, chunkDelayMs: 1 });
});
after(async () => {
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

// Programs that talk to the in-process server must run asynchronously, or they would block the
// event loop that serves them.
const execAsync = promisify(execFile);

test('an installed llmbase is found by find_package and streams a reply', async () => {
  const prefix = join(work, 'prefix');
  const build = join(work, 'build');
  const run = (cmd, args, env = {}) =>
    execFileSync(cmd, args, { encoding: 'utf8', env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  run('cmake', ['--install', join(root, 'build', 'native'), '--prefix', prefix]);
  for (const file of ['include/llmbase/client.h', 'include/llmbase/core/error.h', 'lib/cmake/llmbase/llmbaseConfig.cmake', 'bin/llmbase']) {
    assert.ok(existsSync(join(prefix, file)), `${file} is installed`);
  }
  run('cmake', ['-S', join(root, 'tests', 'cmake-consumer'), '-B', build, `-DCMAKE_PREFIX_PATH=${prefix}`]);
  run('cmake', ['--build', build, '-j2']);
  const { stdout: out } = await execAsync(join(build, 'consumer'), ['Hi'], {
    encoding: 'utf8',
    env: { ...process.env, LLMBASE_API_KEY: 'llmbase_consumer_key', LLMBASE_BASE_URL: server.url },
  });
  assert.ok(out.trim().length > 20, out);
  // The installed CLI works too.
  const { stdout: models } = await execAsync(join(prefix, 'bin', 'llmbase'), ['models'], {
    env: { ...process.env, LLMBASE_BASE_URL: server.url },
  });
  assert.match(models, /deepseek\/deepseek-v4-flash/);
});
