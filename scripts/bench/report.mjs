// Benchmark part: the Markdown report of one bench run (streams per kind, first request, callgrind, cold start, payload, issue 11's targets).
import { callgrindReport } from './callgrind.mjs';
import { STREAM_TITLES } from './streams.mjs';

export const CLIENTS = ['wasm', 'openai', 'plain', 'native', 'native-net', 'chromium-wasm', 'chromium-plain'];
export const CLIENT_NAMES = {
  wasm: 'llmbase-wasm (Node)',
  openai: 'openai-node v6 (Node)',
  plain: 'plain fetch + JSON.parse (Node)',
  native: 'native CLI (libcurl) → /dev/null, whole process',
  'native-net': 'native CLI, streaming only§',
  'chromium-wasm': 'llmbase-wasm (Chromium)',
  'chromium-plain': 'plain fetch + JSON.parse (Chromium)',
};
const FIRST_NAMES = {
  wasm: 'llmbase-wasm, validation on (default): metadata GET, then POST',
  'wasm-prefetched': 'llmbase-wasm, validation on, models.metadata() awaited beforehand',
  'wasm-given': 'llmbase-wasm, validation on, metadata handed in (modelMetadata option)',
  'wasm-second': 'llmbase-wasm, validation on, second request (metadata cached)',
  'wasm-off': "llmbase-wasm, validation: 'off'",
  openai: 'openai-node v6',
  plain: 'plain fetch',
  native: 'native CLI (always validates): exec → POST',
};

export const fmt = (n, digits = 0) =>
  n === null || n === undefined || Number.isNaN(n)
    ? 'n/a'
    : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const CHECKED = ['chunks', 'content', 'reasoning', 'arguments', 'toolCalls'];

/** 'ok' when `counts` match what the stream holds; a count of null (the native CLI's chunks) is not compared. */
export function checkCounts(counts, expect) {
  const bad = CHECKED.filter((k) => counts[k] !== null && counts[k] !== undefined && counts[k] !== expect[k]);
  if (bad.length) return `mismatch (${bad.map((k) => `${k} ${counts[k]}≠${expect[k]}`).join(', ')})`;
  return counts.chunks === null ? 'ok†' : 'ok';
}

/** A row of the stream table from a measurement { ms, cpuUs, peakRssKB, counts }. */
export function streamRow(m, stream) {
  const chunks = m.counts.chunks ?? stream.expect.chunks;
  return {
    chunks,
    ms: m.ms,
    chunksPerSec: chunks / (m.ms / 1000),
    mbPerSec: stream.bodyBytes / 1e6 / (m.ms / 1000),
    cpuUsPerChunk: m.cpuUs / chunks,
    peakRssMB: m.peakRssKB / 1024,
    counts: m.counts,
    check: checkCounts(m.counts, stream.expect),
  };
}

function streamTables(results, lines) {
  for (const [kind, rows] of Object.entries(results.streams)) {
    const stream = results.kinds[kind];
    const withTtft = kind === 'content';
    lines.push(`### ${STREAM_TITLES[kind]}: ${fmt(stream.expect.chunks)} chunks, ${fmt(stream.bodyBytes / 1e6, 1)} MB`);
    lines.push(
      `| client | chunks/s | MB/s | CPU µs/chunk | peak RSS MB | × openai-node | × plain loop‡ |${withTtft ? ' client-added TTFT ms |' : ''} check |`
    );
    lines.push(`|---|---:|---:|---:|---:|---:|---:|${withTtft ? '---:|' : ''}---|`);
    const openai = rows.openai && rows.openai.chunksPerSec;
    for (const client of CLIENTS) {
      const r = rows[client];
      if (!r) continue;
      const plainKey = client.startsWith('chromium-') ? 'chromium-plain' : 'plain';
      const plain = rows[plainKey] && rows[plainKey].chunksPerSec;
      const ttft = withTtft ? ` ${client === 'native-net' ? '' : fmt(results.ttft[client], 2)} |` : '';
      lines.push(
        `| ${CLIENT_NAMES[client]} | ${fmt(r.chunksPerSec)} | ${fmt(r.mbPerSec, 1)} | ${fmt(r.cpuUsPerChunk, 2)} | ${fmt(r.peakRssMB, 1)} | ${openai && !client.startsWith('chromium-') ? fmt(r.chunksPerSec / openai, 2) : ''} | ${plain ? fmt(r.chunksPerSec / plain, 2) : ''} |${ttft} ${r.check} |`
      );
    }
    lines.push('');
  }
  lines.push(
    '‡ × plain loop: against the plain loop of the same runtime (Node or Chromium); × openai-node: against openai-node in Node (not run in Chromium).'
  );
  lines.push('† the native CLI does not count chunks: its accumulated lengths (--json) are checked.');
  const net = Object.values(results.streams)
    .map((rows) => rows['native-net'])
    .find(Boolean);
  if (net)
    lines.push(
      `§ the whole-process figures minus the CLI's median on a 20-chunk stream (${fmt(net.baseMs, 1)} ms wall, ${fmt(net.baseCpuUs / 1000, 1)} ms CPU: exec, libcurl set-up, the metadata GET and the validation the CLI always does), so timed like the Node rows, which exclude imports.`
    );
  lines.push(
    "CPU µs/chunk: user+sys of the client only. Node clients: process.cpuUsage() around the streamed request (imports excluded). Native CLI: wait4() rusage of the whole CLI process (start-up included) from scripts/bench/native/rusage_main.cpp. Chromium: user+sys of every Chromium process (/proc/<pid>/stat, 10 ms ticks) across the timed requests. Peak RSS: the client process's maxRSS (Node, native) or the renderer's VmHWM (Chromium, a fresh renderer per client and stream)."
  );
  lines.push(
    "Client-added TTFT: the server writes the first content chunk and pauses; the time until the client hands that token over, one clock (server in the client's process for Node clients; the bench process and the CLI's first stdout byte for native; the page's clock offset by a min-RTT ping for Chromium)."
  );
  lines.push('');
}

function firstRequestTable(results, lines) {
  const first = results.firstRequest;
  if (!first) return;
  const openai = first.openai && first.openai.postMs;
  lines.push(
    `### First request: create() → the server sees POST /v1/chat/completions (median of ${first.samples} fresh processes; 300-model metadata, ${fmt(first.metadataBytes / 1024, 0)} KiB)`
  );
  lines.push('| client | ms before the request leaves | × openai-node | metadata GET seen at ms | findings | check |');
  lines.push('|---|---:|---:|---:|---:|---|');
  for (const [mode, name] of Object.entries(FIRST_NAMES)) {
    const r = first[mode];
    if (!r) continue;
    lines.push(
      `| ${name} | ${fmt(r.postMs, 2)} | ${openai ? fmt(r.postMs / openai, 2) : ''} | ${r.metadataMs === null ? '' : fmt(r.metadataMs, 2)} | ${r.findings} | ${r.check} |`
    );
  }
  lines.push(
    "The wasm is instantiated and Node's fetch loaded before the clock starts (cold start is below). A caller that already holds the metadata hands it in (modelMetadata): no metadata request is made."
  );
  lines.push('');
}

function target(name, value, goal, { atMost = false, unit = '×', digits = 2 } = {}) {
  if (value === null || value === undefined || Number.isNaN(value)) return `- ${name}: n/a`;
  const met = atMost ? value <= goal : value >= goal;
  const by = atMost ? value - goal : goal - value;
  const shown = `${fmt(value, digits)}${unit === '×' ? '×' : ` ${unit}`}`;
  return `- ${name}: ${shown} — ${met ? 'met' : `missed by ${fmt(by, digits)}${unit === '×' ? '×' : ` ${unit}`}`}`;
}

function targets(results, lines) {
  const c = results.streams.content;
  if (!c) return;
  const ratio = (a, b) => (c[a] && c[b] ? c[a].chunksPerSec / c[b].chunksPerSec : null);
  lines.push('### Issue 11 targets (content stream; reported, never asserted)');
  lines.push(target('wasm (Node) × plain loop ≥ 1.0', ratio('wasm', 'plain'), 1));
  lines.push(target('wasm (Node) × openai-node ≥ 2.0', ratio('wasm', 'openai'), 2));
  lines.push(target('wasm (Chromium) × Chromium plain loop ≥ 1.0', ratio('chromium-wasm', 'chromium-plain'), 1));
  lines.push(target('native (streaming only) × openai-node ≥ 10', ratio('native-net', 'openai'), 10));
  lines.push(target('native (streaming only) × plain loop ≥ 2', ratio('native-net', 'plain'), 2));
  lines.push(
    target('peak RSS wasm (Node) ≤ plain loop', c.wasm && c.plain ? c.wasm.peakRssMB : null, c.plain ? c.plain.peakRssMB : 0, {
      atMost: true,
      unit: 'MB',
      digits: 1,
    })
  );
  lines.push(target('cold import + instantiate ≤ 20 ms', results.cold && results.cold.wasm, 20, { atMost: true, unit: 'ms', digits: 1 }));
  const gz = results.size && results.size.ours.totalGz / 1000;
  lines.push(target('browser payload ≤ 60 KB gzipped (required)', gz, 60, { atMost: true, unit: 'KB', digits: 1 }));
  lines.push(target("browser payload ≤ 36 KB gzipped (openai-node's)", gz, 36, { atMost: true, unit: 'KB', digits: 1 }));
  lines.push('');
}

/** The whole report, Markdown. */
export function report(results) {
  const lines = [];
  const env = results.env;
  lines.push(
    `## llmbase-wasm benchmark: ${results.date}, median of ${results.runs} run(s), 127.0.0.1, ${env.cpus} CPUs (${env.cpuModel}), Node ${env.node}`
  );
  lines.push(
    `Load average (1 min) ${fmt(env.loadStart, 2)} at the start, ${fmt(env.loadEnd, 2)} at the end: on a shared machine wall-clock rates move with it; CPU µs/chunk and the callgrind counts move much less.`
  );
  lines.push('');
  streamTables(results, lines);
  firstRequestTable(results, lines);
  lines.push(...callgrindReport(results.callgrind));
  lines.push('');
  if (results.cold)
    lines.push(
      `Cold import + instantiate (Node, median of 5): llmbase-wasm ${fmt(results.cold.wasm, 1)} ms, openai-node ${fmt(results.cold.openai, 1)} ms`
    );
  const s = results.size;
  if (s)
    lines.push(
      `Payload (esbuild --minify, chat-only, browser): llmbase-wasm JS ${fmt(s.ours.jsRaw)} B + wasm ${fmt(s.ours.wasmRaw)} B = ${fmt(s.ours.totalRaw)} B raw, ${fmt(s.ours.totalGz)} B gzipped; openai-node ${fmt(s.openai.jsRaw)} B raw, ${fmt(s.openai.jsGz)} B gzipped`
    );
  lines.push('');
  targets(results, lines);
  if (results.skipped.length) lines.push(...results.skipped.map((m) => `Skipped: ${m}`));
  return lines.join('\n');
}
