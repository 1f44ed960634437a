// Load benchmark (not a test) of the key-safe proxy: N concurrent streamed chats on loopback, the proxy's CPU per relayed chunk and the TTFT it adds over a direct connection.
// Usage: node scripts/bench-proxy.mjs [--concurrency 200] [--words 60] [--chunk-delay-ms 20] [--out DIR] [--cli PATH] [--no-metered]   (after scripts/build.sh; npm run bench:proxy)
// The local server and the proxy each run in their own process (`llmbase serve`), so the proxy's
// CPU time is read from /proc for its process alone. Three rounds of the same N chats: direct to
// the local server, through the proxy relaying only, and through the proxy with metering on (a
// spending limit: the core decodes every relayed read to price the call). Writes DIR/bench-proxy.json.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.lastIndexOf(`--${name}`) + 1] : fallback);
const CONCURRENCY = Number(option('concurrency', 200));
const WORDS = Number(option('words', 60));
const CHUNK_DELAY_MS = Number(option('chunk-delay-ms', 20));
const OUT = option('out', join(root, 'test-results', 'bench'));
const CLI = option('cli', join(root, 'dist', 'cli.mjs')); // --cli: another build's CLI, to compare
const METERED = !args.includes('--no-metered'); // --no-metered: for a CLI without --spend-limit-site
const KEY = 'llmbase_bench_proxy_key_0001';
const MODEL = 'deepseek/deepseek-v4-flash';
const TICKS_PER_SECOND = 100; // USER_HZ of /proc/<pid>/stat on Linux

const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))];
const log = (message) => console.error(`bench-proxy: ${message}`);

/** `llmbase serve …` in its own process; resolves with { url, pid, stop } once it printed its URL. */
function serve(argv, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--quiet', ...argv], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...env },
    });
    let output = '';
    child.stdout.on('data', (data) => {
      output += data;
      const match = /listening on (http:\/\/127\.0\.0\.1:\d+\/v1)[\s\S]*Press Ctrl-C/.exec(output);
      if (match)
        resolve({
          url: match[1],
          pid: child.pid,
          stop: () =>
            new Promise((done) => {
              child.once('exit', done);
              child.kill('SIGTERM');
            }),
        });
    });
    child.stderr.on('data', (data) => {
      output += data;
    });
    child.once('exit', (code) => reject(new Error(`llmbase serve exited with ${code}: ${output}`)));
  });
}

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND; // utime, stime (fields 14 and 15)
}

/** One streamed chat: ms to the first content delta and the number of SSE chunks received. */
async function streamedChat(base, headers, reply) {
  const started = performance.now();
  const response = await fetch(`${base}/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: MODEL, messages: [{ role: 'user', content: `echo: ${reply}` }], stream: true }),
  });
  if (response.status !== 200) throw new Error(`${base}: HTTP ${response.status} ${await response.text()}`);
  const decoder = new TextDecoder();
  let ttft = null;
  let chunks = 0;
  let text = '';
  let pending = '';
  for await (const bytes of response.body) {
    pending += decoder.decode(bytes, { stream: true });
    const events = pending.split('\n\n');
    pending = events.pop();
    for (const event of events) {
      if (!event.startsWith('data: {')) continue;
      chunks += 1;
      const content = JSON.parse(event.slice(6)).choices[0]?.delta?.content;
      if (content && ttft === null) ttft = performance.now() - started;
      if (content) text += content;
    }
  }
  if (text !== reply) throw new Error(`${base}: the reply arrived altered (${text.length} of ${reply.length} characters)`);
  return { ttft, chunks };
}

async function round(name, base, headers, reply, pid) {
  const cpuBefore = pid ? cpuSeconds(pid) : 0;
  const started = performance.now();
  const results = await Promise.all(Array.from({ length: CONCURRENCY }, () => streamedChat(base, headers, reply)));
  const wallMs = performance.now() - started;
  const cpu = pid ? cpuSeconds(pid) - cpuBefore : null;
  const chunks = results.reduce((sum, r) => sum + r.chunks, 0);
  const ttfts = results.map((r) => r.ttft);
  const row = {
    name,
    streams: CONCURRENCY,
    chunks,
    wallMs: Math.round(wallMs),
    ttftMedianMs: +percentile(ttfts, 0.5).toFixed(1),
    ttftP95Ms: +percentile(ttfts, 0.95).toFixed(1),
    proxyCpuMs: cpu === null ? null : Math.round(cpu * 1000),
    proxyCpuUsPerChunk: cpu === null ? null : +((cpu * 1e6) / chunks).toFixed(1),
  };
  log(`${name}: ${JSON.stringify(row)}`);
  return row;
}

const reply = Array.from({ length: WORDS }, (_, i) => `word${i}`).join(' ');
const upstream = await serve(['--keys', KEY, '--chunk-delay-ms', String(CHUNK_DELAY_MS), '--max-concurrent', String(CONCURRENCY * 2)]);
const common = ['--proxy', '--upstream', upstream.url, '--rate-limit', '0'];
const relay = await serve(common, { LLMBASE_API_KEY: KEY });
const metered = METERED ? await serve([...common, '--spend-limit-site', '1000000'], { LLMBASE_API_KEY: KEY }) : null;
const rows = [];
try {
  // A warm-up chat each, so that the wasm module, the metadata cache and the connections exist.
  await streamedChat(upstream.url, { authorization: `Bearer ${KEY}` }, reply);
  await streamedChat(relay.url, {}, reply);
  if (metered) await streamedChat(metered.url, {}, reply);
  const direct = await round('direct', upstream.url, { authorization: `Bearer ${KEY}` }, reply, null);
  rows.push(direct);
  for (const [name, proxy] of [
    ['proxy (relay)', relay],
    ['proxy (metered)', metered],
  ].filter(([, p]) => p)) {
    const row = await round(name, proxy.url, {}, reply, proxy.pid);
    row.addedTtftMedianMs = +(row.ttftMedianMs - direct.ttftMedianMs).toFixed(1);
    row.addedTtftP95Ms = +(row.ttftP95Ms - direct.ttftP95Ms).toFixed(1);
    rows.push(row);
  }
} finally {
  await Promise.all([relay.stop(), metered?.stop(), upstream.stop()]);
}

const machine = { cpus: cpus().length, model: cpus()[0]?.model, node: process.version };
mkdirSync(OUT, { recursive: true });
writeFileSync(
  join(OUT, 'bench-proxy.json'),
  `${JSON.stringify({ machine, concurrency: CONCURRENCY, words: WORDS, chunkDelayMs: CHUNK_DELAY_MS, rows }, null, 2)}\n`
);
console.log(
  `\n${CONCURRENCY} concurrent streamed chats on loopback (${WORDS} words each, ${CHUNK_DELAY_MS} ms between upstream chunks; ${machine.cpus} cores, Node ${machine.node})\n`
);
console.log('| path | chunks | wall ms | TTFT median / p95 ms | added TTFT median / p95 ms | proxy CPU ms | proxy CPU µs per chunk |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  const added = r.addedTtftMedianMs === undefined ? '—' : `${r.addedTtftMedianMs} / ${r.addedTtftP95Ms}`;
  console.log(
    `| ${r.name} | ${r.chunks} | ${r.wallMs} | ${r.ttftMedianMs} / ${r.ttftP95Ms} | ${added} | ${r.proxyCpuMs ?? '—'} | ${r.proxyCpuUsPerChunk ?? '—'} |`
  );
}
