// Benchmark (not a test): wasm client vs openai-node vs a plain fetch loop vs the native CLI on one loopback stream; size and cold start.
// Usage: node scripts/bench.mjs [--chunks N] [--runs N] [--out DIR]   (after scripts/build.sh; npm run bench)
import { execFile, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { buildStream, startStreamServer } from './bench/stream-server.mjs';
import { browserChunksPerSecond } from './bench/browser-run.mjs';
import { renderSvg } from './bench/chart.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const CHUNKS = Number(option('chunks', 100000));
const RUNS = Number(option('runs', 3));
const OUT = option('out', join(root, 'test-results', 'bench'));
const PAUSE_MS = 300;
const runner = join(root, 'scripts', 'bench', 'client-runner.mjs');
const nativeCli = join(root, 'build', 'native', 'llmbase');
const execAsync = promisify(execFile);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

async function runJsClient(client, url, extra = []) {
  const { stdout } = await execAsync(process.execPath, [runner, client, url, ...extra], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// The native CLI: wall time from the parent, peak RSS polled from /proc, first stdout byte time.
function runNative(url, { pauseMs = 0, tag = '' } = {}) {
  return new Promise((resolve, reject) => {
    const cliArgs = ['chat', '--model', 'bench/model', '--base-url', url, '--max-retries', '0', '--header', `x-bench-tag: ${tag}`];
    if (pauseMs) cliArgs.push('--header', `x-bench-pause-ms: ${pauseMs}`);
    else cliArgs.push('--json');
    cliArgs.push('bench');
    const started = performance.timeOrigin + performance.now();
    const child = spawn(nativeCli, cliArgs, { env: { ...process.env, LLMBASE_API_KEY: 'llmbase_bench' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let first = 0;
    let peakKB = 0;
    let stderr = '';
    const poll = setInterval(() => {
      try {
        const match = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
        if (match) peakKB = Math.max(peakKB, Number(match[1]));
      } catch {
        // exited between polls
      }
    }, 5);
    child.stdout.on('data', () => {
      if (!first) first = performance.timeOrigin + performance.now();
    });
    child.stderr.on('data', (d) => { stderr += d; });
    child.on('close', (code) => {
      clearInterval(poll);
      if (code !== 0) return reject(new Error(`native CLI exited ${code}: ${stderr}`));
      resolve({ ms: performance.timeOrigin + performance.now() - started, firstTokenAt: first, maxRssKB: peakKB, chunks: CHUNKS + 2 });
    });
  });
}

async function throughput(url, bodyBytes) {
  const rows = {};
  for (const client of ['wasm', 'openai', 'plain', 'native']) {
    const runs = [];
    for (let i = 0; i < RUNS; i += 1) runs.push(client === 'native' ? await runNative(url) : await runJsClient(client, url));
    const ms = median(runs.map((r) => r.ms));
    rows[client] = {
      chunks: runs[0].chunks,
      ms,
      chunksPerSec: runs[0].chunks / (ms / 1000),
      mbPerSec: bodyBytes / 1e6 / (ms / 1000),
      peakRssMB: Math.max(...runs.map((r) => r.maxRssKB)) / 1024,
    };
  }
  return rows;
}

// Client-added time to first token: from the server writing the first content chunk to the
// client handing it over. JS clients run their own pausing server (one clock); the native CLI is
// timed from this process to its first stdout byte, pipe included.
async function timeToFirstToken(server) {
  const rows = {};
  for (const client of ['wasm', 'openai', 'plain', 'native']) {
    const samples = [];
    for (let i = 0; i < RUNS; i += 1) {
      if (client === 'native') {
        const tag = `native-${i}`;
        const r = await runNative(server.url, { pauseMs: PAUSE_MS, tag });
        samples.push(r.firstTokenAt - server.firstChunkAt.get(tag));
      } else {
        samples.push((await runJsClient(`ttft-${client}`, '-', [String(PAUSE_MS)])).clientAddedMs);
      }
    }
    rows[client] = median(samples);
  }
  return rows;
}

async function coldStart() {
  const out = {};
  for (const client of ['wasm', 'openai']) {
    const samples = [];
    for (let i = 0; i < 5; i += 1) samples.push((await runJsClient(`cold-${client}`, 'http://127.0.0.1:9/v1')).coldMs);
    out[client] = median(samples);
  }
  return out;
}

async function payloadSizes() {
  const dir = mkdtempSync(join(tmpdir(), 'bench-size-'));
  try {
    const bundle = async (entry, file) => {
      writeFileSync(join(dir, file), entry);
      const result = await build({ entryPoints: [join(dir, file)], bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, nodePaths: [join(root, 'node_modules')], logLevel: 'silent', external: ['*.wasm'] });
      return Buffer.concat(result.outputFiles.map((f) => Buffer.from(f.contents)));
    };
    const ours = await bundle(`import { LLMBase } from ${JSON.stringify(join(root, 'dist', 'browser.mjs'))};\nexport async function chat(u, m) { const c = new LLMBase({ baseURL: u, allowMissingKey: true }); return c.chat.completions.create({ model: 'm', messages: m, stream: true }); }\n`, 'ours.mjs');
    const openai = await bundle("import OpenAI from 'openai';\nexport async function chat(u, m) { const c = new OpenAI({ apiKey: 'k', baseURL: u, dangerouslyAllowBrowser: true }); return c.chat.completions.create({ model: 'm', messages: m, stream: true }); }\n", 'openai.mjs');
    const wasm = readFileSync(join(root, 'dist', 'llmbase_core.wasm'));
    const gz = (b) => gzipSync(b, { level: 9 }).length;
    return {
      ours: { jsRaw: ours.length, jsGz: gz(ours), wasmRaw: wasm.length, wasmGz: gz(wasm), totalRaw: ours.length + wasm.length, totalGz: gz(ours) + gz(wasm) },
      openai: { jsRaw: openai.length, jsGz: gz(openai) },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function report(results) {
  const { stream, ttft, cold, size, browser } = results;
  const base = stream.openai.chunksPerSec;
  const plain = stream.plain.chunksPerSec;
  const lines = [];
  lines.push(`Stream of ${fmt(CHUNKS)} chunks (${fmt(results.bodyBytes / 1e6, 1)} MB) over 127.0.0.1, median of ${RUNS} runs`);
  lines.push('| client | chunks/s | MB/s | peak RSS MB | × openai-node | × plain loop | client-added TTFT ms |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|');
  const names = { wasm: 'llmbase-wasm (Node)', openai: 'openai-node v6', plain: 'plain fetch + JSON.parse', native: 'native CLI (libcurl)' };
  for (const key of ['wasm', 'openai', 'plain', 'native']) {
    const r = stream[key];
    lines.push(`| ${names[key]} | ${fmt(r.chunksPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.peakRssMB, 1)} | ${fmt(r.chunksPerSec / base, 2)} | ${fmt(r.chunksPerSec / plain, 2)} | ${fmt(ttft[key], 2)} |`);
  }
  if (browser) lines.push(`| llmbase-wasm (Chromium) | ${fmt(browser.wasm)} | | | | ${fmt(browser.wasm / browser.plain, 2)} (vs plain loop in Chromium: ${fmt(browser.plain)}) | |`);
  lines.push('');
  lines.push(`Cold import + instantiate (Node, median of 5): llmbase-wasm ${fmt(cold.wasm, 1)} ms, openai-node ${fmt(cold.openai, 1)} ms`);
  lines.push(`Payload (esbuild --minify, chat-only, browser): llmbase-wasm JS ${fmt(size.ours.jsRaw)} B + wasm ${fmt(size.ours.wasmRaw)} B = ${fmt(size.ours.totalRaw)} B raw, ${fmt(size.ours.totalGz)} B gzipped; openai-node ${fmt(size.openai.jsRaw)} B raw, ${fmt(size.openai.jsGz)} B gzipped`);
  return lines.join('\n');
}

const body = buildStream(CHUNKS);
const distDir = join(root, 'dist');
const server = await startStreamServer(body, {
  staticHandler: (req, res) => {
    const file = req.url.split('?')[0];
    if (file === '/bench.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
    if (!file.startsWith('/dist/') || file.includes('..')) return res.writeHead(404).end();
    const type = file.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    try {
      res.writeHead(200, { 'content-type': type }).end(readFileSync(join(distDir, file.slice('/dist/'.length))));
    } catch {
      res.writeHead(404).end();
    }
  },
});
try {
  const results = { date: new Date().toISOString(), chunks: CHUNKS, bodyBytes: body.length, runs: RUNS };
  results.stream = await throughput(server.url, body.length);
  results.ttft = await timeToFirstToken(server);
  results.cold = await coldStart();
  results.size = await payloadSizes();
  try {
    results.browser = await browserChunksPerSecond(server);
  } catch (error) {
    results.browser = null;
    console.error(`bench: browser run skipped: ${error.message}`);
  }
  const table = report(results);
  console.log(table);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'bench.svg'), renderSvg(results));
  console.log(`\nbench: wrote ${join(OUT, 'bench.json')} and ${join(OUT, 'bench.svg')}`);
} finally {
  await server.close();
}
