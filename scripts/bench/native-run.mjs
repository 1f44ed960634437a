// Benchmark part: the native CLI (build/native/llmbase) on a bench stream: timed to /dev/null under the rusage wrapper, checked with --json, and paused for TTFT.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';

const now = () => performance.timeOrigin + performance.now();

export function nativeTools(root) {
  const dir = join(root, 'build', 'native');
  return { cli: join(dir, 'llmbase'), rusage: join(dir, 'llmbase-bench-rusage'), fold: join(dir, 'llmbase-bench-fold'), dir };
}

function cliArgs(url, extra) {
  return ['chat', '--model', 'bench/model', '--base-url', url, '--max-retries', '0', ...extra, 'bench'];
}

function run(command, args, { stdout = 'pipe', onStdout } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, LLMBASE_API_KEY: 'llmbase_bench' }, stdio: ['ignore', stdout, 'pipe'] });
    let out = '';
    let err = '';
    if (child.stdout)
      child.stdout.on('data', (d) => {
        if (onStdout) onStdout();
        out += d;
      });
    child.stderr.on('data', (d) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`${command} exited ${code}: ${err.trim()}`));
      resolve({ out, err });
    });
  });
}

/**
 * One timed run: the CLI prints the content as it streams, to /dev/null, under
 * llmbase-bench-rusage, which reports the child's wall time, user+sys CPU and peak RSS (wait4).
 * → { ms, cpuUs, maxRssKB }. Process start-up (exec, dynamic linking, libcurl init) is included.
 */
export async function runNativeTimed(tools, url) {
  const { err } = await run(tools.rusage, [tools.cli, ...cliArgs(url, [])], { stdout: 'ignore' });
  const line = err
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('bench-rusage '))
    .pop();
  const usage = JSON.parse(line.slice('bench-rusage '.length));
  return { ms: usage.wall_us / 1000, cpuUs: usage.user_us + usage.sys_us, maxRssKB: usage.maxrss_kb };
}

/** The accumulated completion (--json) → the lengths every client must match; the CLI does not count chunks. */
export async function runNativeCheck(tools, url) {
  const { out } = await run(tools.cli, cliArgs(url, ['--json']));
  const message = JSON.parse(out).choices[0].message;
  const calls = message.tool_calls || [];
  return {
    chunks: null,
    content: (message.content || '').length,
    reasoning: (message.reasoning_content || '').length + (message.reasoning || '').length,
    arguments: calls.reduce((sum, c) => sum + ((c.function && c.function.arguments) || '').length, 0),
    toolCalls: calls.length,
  };
}

/**
 * The native CLI's first request: from spawning it to the server (in this process, one clock)
 * seeing its POST, and its metadata GET. The CLI always validates, so it fetches the metadata
 * first. → { postMs, metadataMs }.
 */
export async function runNativeFirst(tools, server, url) {
  const t0 = now();
  await run(tools.cli, cliArgs(url, []), { stdout: 'ignore' });
  const after = (method, suffix) => server.seen.find((s) => s.at >= t0 && s.method === method && s.path.endsWith(suffix));
  const post = after('POST', '/chat/completions');
  const metadata = after('GET', '/model-metadata');
  return { postMs: post ? post.at - t0 : null, metadataMs: metadata ? metadata.at - t0 : null };
}

/** Client-added TTFT: the server's first-chunk time to the CLI's first stdout byte, both on this process's clock (pipe included). */
export async function runNativeTtft(tools, server, pauseMs, tag) {
  let first = 0;
  await run(tools.cli, cliArgs(server.url, ['--header', `x-bench-tag: ${tag}`, '--header', `x-bench-pause-ms: ${pauseMs}`]), {
    onStdout: () => {
      if (!first) first = now();
    },
  });
  return first - server.firstChunkAt.get(tag);
}

export const nativeAvailable = (tools) => existsSync(tools.cli) && existsSync(tools.rusage);
