// Benchmark (not a test): wasm client (Node, Chromium) vs openai-node vs a plain fetch loop vs the native CLI on content, tool-call and reasoning streams; first request, callgrind, size, cold start.
// Usage: node scripts/bench.mjs [--chunks N] [--runs N (the last one wins)] [--kinds content,tools,reasoning] [--skip browser,callgrind,first]
//        [--callgrind-chunks N] [--out DIR]   (after scripts/build.sh; npm run bench is --runs 1)
// Prints Markdown tables; writes DIR/bench.json and DIR/bench.svg (default test-results/bench).
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { browserRun } from './bench/browser-run.mjs';
import { callgrindFigures } from './bench/callgrind.mjs';
import { renderSvg } from './bench/chart.mjs';
import { benchMetadata } from './bench/metadata.mjs';
import { nativeAvailable, nativeTools, runNativeCheck, runNativeFirst, runNativeTimed, runNativeTtft } from './bench/native-run.mjs';
import { checkCounts, report, streamRow } from './bench/report.mjs';
import { startStreamServer } from './bench/stream-server.mjs';
import { STREAM_KINDS, buildBenchStream } from './bench/streams.mjs';
import { payloadSizes } from './size/payload.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.lastIndexOf(`--${name}`) + 1] : fallback);
const CHUNKS = Number(option('chunks', 100000));
const RUNS = Number(option('runs', 3));
const KINDS = option('kinds', STREAM_KINDS.join(',')).split(',');
const SKIP = new Set(option('skip', '').split(',').filter(Boolean));
const CALLGRIND_CHUNKS = Number(option('callgrind-chunks', 5000));
const OUT = option('out', join(root, 'test-results', 'bench'));
const PAUSE_MS = 300;
const FIRST_SAMPLES = Math.max(3, RUNS);
const benchDir = join(root, 'scripts', 'bench');
const tools = nativeTools(root);
const execAsync = promisify(execFile);
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const log = (message) => console.error(`bench: ${message}`);

for (const kind of KINDS) if (!STREAM_KINDS.includes(kind)) throw new Error(`--kinds: unknown stream kind ${kind}`);

async function runChild(script, argv) {
  const { stdout } = await execAsync(process.execPath, [join(benchDir, script), ...argv], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop());
}

// The run whose `key` (wall time) is the median, so that its other figures go with it.
function medianRun(runs, key = 'ms') {
  const value = median(runs.map((r) => r[key]));
  return runs.find((r) => r[key] === value);
}

async function measureNode(client, url) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) {
    const r = await runChild('client-runner.mjs', [client, url]);
    runs.push({ ms: r.ms, cpuUs: r.cpuUs, peakRssKB: r.maxRssKB, counts: r.counts });
  }
  return medianRun(runs);
}

// The CLI as a user runs it (process start-up, metadata GET and validation included), and the
// same minus its median on a 20-chunk stream: the streaming part alone, as the Node rows time it.
async function measureNative(url, tinyUrl) {
  const counts = await runNativeCheck(tools, url); // also the warm-up: page cache, loopback
  const runs = [];
  const base = [];
  for (let i = 0; i < RUNS; i += 1) {
    const r = await runNativeTimed(tools, url);
    runs.push({ ms: r.ms, cpuUs: r.cpuUs, peakRssKB: r.maxRssKB, counts });
  }
  for (let i = 0; i < Math.max(3, RUNS); i += 1) base.push(await runNativeTimed(tools, tinyUrl));
  const full = medianRun(runs);
  const baseMs = median(base.map((b) => b.ms));
  const baseCpuUs = median(base.map((b) => b.cpuUs));
  return { full, net: { ...full, ms: full.ms - baseMs, cpuUs: full.cpuUs - baseCpuUs }, baseMs, baseCpuUs };
}

async function throughput(server, kinds, results) {
  for (const kind of kinds) {
    const stream = results.kinds[kind];
    const rows = {};
    for (const client of ['wasm', 'openai', 'plain', 'native']) {
      if (client === 'native' && !nativeAvailable(tools)) continue;
      log(`${kind} stream: ${client}`);
      if (client === 'native') {
        const m = await measureNative(server.urlFor(kind), server.urlFor(TINY));
        rows.native = streamRow(m.full, stream);
        rows['native-net'] = { ...streamRow(m.net, stream), baseMs: m.baseMs, baseCpuUs: m.baseCpuUs };
      } else {
        rows[client] = streamRow(await measureNode(client, server.urlFor(kind)), stream);
      }
    }
    results.streams[kind] = rows;
  }
  if (!nativeAvailable(tools)) results.skipped.push(`native CLI: ${tools.cli} or its rusage wrapper missing (scripts/build.sh)`);
}

// Client-added time to first token: from the server writing the first content chunk to the
// client handing it over. JS clients run their own pausing server (one clock); the native CLI is
// timed from this process to its first stdout byte, pipe included.
async function timeToFirstToken(server) {
  const rows = {};
  for (const client of ['wasm', 'openai', 'plain', 'native']) {
    if (client === 'native' && !nativeAvailable(tools)) continue;
    const samples = [];
    for (let i = 0; i < RUNS; i += 1) {
      if (client === 'native') samples.push(await runNativeTtft(tools, server, PAUSE_MS, `native-${i}`));
      else samples.push((await runChild('client-runner.mjs', [`ttft-${client}`, '-', String(PAUSE_MS)])).clientAddedMs);
    }
    rows[client] = median(samples);
  }
  return rows;
}

// The first request of a fresh client in a fresh process, each mode FIRST_SAMPLES times.
async function firstRequest(server) {
  const out = { samples: FIRST_SAMPLES, metadataBytes: JSON.stringify(benchMetadata()).length };
  if (nativeAvailable(tools)) {
    const samples = [];
    for (let i = 0; i < FIRST_SAMPLES; i += 1) samples.push(await runNativeFirst(tools, server, server.urlFor(TINY)));
    out.native = { ...medianRun(samples, 'postMs'), findings: 0, check: 'ok†' };
  }
  for (const mode of ['wasm', 'wasm-prefetched', 'wasm-given', 'wasm-second', 'wasm-off', 'openai', 'plain']) {
    log(`first request: ${mode}`);
    const samples = [];
    for (let i = 0; i < FIRST_SAMPLES; i += 1) samples.push(await runChild('first-request.mjs', [mode]));
    const run = medianRun(samples, 'postMs');
    out[mode] = {
      postMs: run.postMs,
      metadataMs: run.metadataMs,
      findings: run.findings,
      check: checkCounts(run.counts, buildBenchStream('content', 20).expect),
    };
  }
  return out;
}

async function coldStart() {
  const out = {};
  for (const client of ['wasm', 'openai']) {
    const samples = [];
    for (let i = 0; i < 5; i += 1) samples.push((await runChild('client-runner.mjs', [`cold-${client}`, 'http://127.0.0.1:9/v1'])).coldMs);
    out[client] = median(samples);
  }
  return out;
}

// Chromium rows join the stream tables (chromium-wasm, chromium-plain); TTFT joins results.ttft.
async function chromium(server, kinds, results) {
  const browser = await browserRun(server, { kinds, runs: RUNS, pauseMs: PAUSE_MS });
  for (const kind of kinds) {
    for (const client of ['wasm', 'plain']) {
      const m = browser[kind][client];
      results.streams[kind][`chromium-${client}`] = streamRow(m, results.kinds[kind]);
      if (m.ttftMs !== undefined) results.ttft[`chromium-${client}`] = m.ttftMs;
    }
  }
}

// The page's modules: dist/ (the package) and scripts/bench/*.mjs (the tally); nothing else.
const mounts = { '/dist/': join(root, 'dist'), '/bench/': benchDir };
function staticHandler(req, res) {
  const file = req.url.split('?')[0];
  if (file === '/bench.html') return res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>bench</title>');
  const prefix = Object.keys(mounts).find((p) => file.startsWith(p));
  const name = prefix ? file.slice(prefix.length) : '';
  if (!prefix || name.includes('..') || name.includes('/') || (prefix === '/bench/' && !name.endsWith('.mjs')))
    return res.writeHead(404).end();
  const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
  try {
    res.writeHead(200, { 'content-type': type }).end(readFileSync(join(mounts[prefix], name)));
  } catch {
    res.writeHead(404).end();
  }
}

const started = Date.now();
const TINY = 'tiny'; // a 20-chunk content stream: the native CLI's fixed costs, its first request
const streams = Object.fromEntries([...new Set(['content', ...KINDS])].map((kind) => [kind, buildBenchStream(kind, CHUNKS)]));
streams[TINY] = buildBenchStream('content', 20);
const server = await startStreamServer(Object.fromEntries(Object.entries(streams).map(([k, s]) => [k, s.body])), { staticHandler });
try {
  const results = {
    date: new Date().toISOString(),
    runs: RUNS,
    chunks: CHUNKS,
    env: {
      cpus: cpus().length,
      cpuModel: cpus()[0] ? cpus()[0].model.trim() : 'unknown',
      node: process.versions.node,
      loadStart: loadavg()[0],
    },
    kinds: Object.fromEntries(KINDS.map((k) => [k, { bodyBytes: streams[k].body.length, expect: streams[k].expect }])),
    streams: {},
    ttft: {},
    skipped: [],
  };
  await throughput(server, KINDS, results);
  log('time to first token');
  Object.assign(results.ttft, await timeToFirstToken(server));
  if (!SKIP.has('first')) results.firstRequest = await firstRequest(server);
  log('cold start and payload');
  results.cold = await coldStart();
  results.size = await payloadSizes(root);
  if (SKIP.has('browser')) {
    results.skipped.push('Chromium run (--skip browser)');
  } else {
    log('Chromium');
    try {
      await chromium(server, KINDS, results);
    } catch (error) {
      results.skipped.push(`Chromium run: ${error.message.split('\n')[0]}`);
    }
  }
  if (SKIP.has('callgrind')) {
    results.callgrind = { skipped: '--skip callgrind' };
  } else {
    results.callgrind = await callgrindFigures({ root, chunks: CALLGRIND_CHUNKS, log });
  }
  results.seconds = (Date.now() - started) / 1000;
  results.env.loadEnd = loadavg()[0];
  console.log(report(results));
  console.log(`\nbench: ${Math.round(results.seconds)} s in all`);
  mkdirSync(OUT, { recursive: true });
  writeFileSync(join(OUT, 'bench.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(OUT, 'bench.svg'), renderSvg(results));
  console.log(`bench: wrote ${join(OUT, 'bench.json')} and ${join(OUT, 'bench.svg')}`);
} finally {
  await server.close();
}
