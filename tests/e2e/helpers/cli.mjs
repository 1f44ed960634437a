// Runs the two CLIs (build/native/llmbase and dist/cli.mjs) as child processes for the e2e suites.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../..', import.meta.url));

export const nativeCli = join(root, 'build', 'native', 'llmbase');
export const nodeCli = join(root, 'dist', 'cli.mjs');
/** [label, command, leading arguments] of each CLI. */
export const CLIS = [
  ['native', nativeCli, []],
  ['node', process.execPath, [nodeCli]],
];

/** Runs `command args` with `env` added to this process's; resolves with { code, stdout, stderr }. */
export function runCli(command, args, env = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
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
