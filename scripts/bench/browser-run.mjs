// Benchmark part: the bench streams read by the wasm client and by the plain fetch loop inside headless Chromium (chunks/s, CPU, RSS, TTFT).
import { chromium } from 'playwright-core';
import { busiest, commandLine, cpuBetween, peakRssKB, treeCpu, treeProcesses } from './proc-tree.mjs';

// Runs in the page: one streamed request with one client, timed with the page's clock. With
// `pause`, the server pauses after the first chunk and the result carries the first content
// token's epoch time plus this page's clock offset to the server (min-RTT ping of /bench/clock).
async function pageRun({ client, baseURL, origin, pause, tag }) {
  const { LLMBase } = await import('/dist/browser.mjs');
  const { newTally, plainLoop } = await import('/bench/tally.mjs');
  const epoch = () => performance.timeOrigin + performance.now();
  const params = { model: 'bench/model', messages: [{ role: 'user', content: 'bench' }], stream: true };
  const headers = pause ? { 'x-bench-pause-ms': String(pause), 'x-bench-tag': tag } : {};
  let offset = 0;
  if (pause) {
    let bestRtt = Infinity;
    for (let i = 0; i < 10; i += 1) {
      const t0 = epoch();
      const { now } = await (await fetch(`${origin}/bench/clock`, { cache: 'no-store' })).json();
      const t1 = epoch();
      if (t1 - t0 < bestRtt) {
        bestRtt = t1 - t0;
        offset = now - (t0 + t1) / 2;
      }
    }
  }
  const tally = newTally(epoch);
  const start = performance.now();
  if (client === 'wasm') {
    const llm = new LLMBase({ baseURL, allowMissingKey: true, validation: 'off', maxRetries: 0 });
    const stream = await llm.chat.completions.create(params, { headers });
    for await (const chunk of stream) tally.add(chunk);
  } else {
    const response = await fetch(`${baseURL}/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(params),
    });
    await plainLoop(response.body, tally);
  }
  return { ms: performance.now() - start, counts: tally.counts(), firstEpoch: tally.first, offset };
}

// Playwright's Browser does not expose its process: the Chromium child of this process is the root.
function chromiumPid() {
  const pid = treeProcesses(process.pid).find((p) => p.ppid === process.pid && commandLine(p.pid).includes('--remote-debugging-pipe'));
  if (!pid) throw new Error('the Chromium process was not found under this process');
  return pid.pid;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/**
 * For each stream kind and client (wasm, plain): a fresh browser context (so a fresh renderer),
 * one warm-up request, then `runs` timed ones. CPU is user+sys of every Chromium process between
 * the first and the last timed request; peak RSS is the busiest renderer's VmHWM. The content
 * stream also gets a paused request for the client-added time to first token.
 * → { [kind]: { wasm: row, plain: row } }, row = { ms, counts, cpuUs, peakRssKB, ttftMs? }.
 */
export async function browserRun(server, { kinds, runs, pauseMs }) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const results = {};
  try {
    const rootPid = chromiumPid();
    for (const kind of kinds) {
      results[kind] = {};
      for (const client of ['wasm', 'plain']) {
        const context = await browser.newContext();
        try {
          const page = await context.newPage();
          await page.goto(`${server.origin}/bench.html`);
          const args = { client, baseURL: server.urlFor(kind), origin: server.origin, pause: 0, tag: '' };
          await page.evaluate(pageRun, args); // warm-up: instantiation and JIT
          const before = treeCpu(rootPid);
          const samples = [];
          for (let i = 0; i < runs; i += 1) samples.push(await page.evaluate(pageRun, args));
          const cpu = cpuBetween(before, treeCpu(rootPid));
          const ms = median(samples.map((s) => s.ms));
          const row = {
            ms,
            counts: samples[0].counts,
            cpuUs: cpu.totalUs / runs,
            peakRssKB: peakRssKB(busiest(cpu.deltas, '--type=renderer')),
          };
          if (kind === 'content') {
            const tag = `chromium-${client}`;
            const paused = await page.evaluate(pageRun, { ...args, pause: pauseMs, tag });
            row.ttftMs = paused.firstEpoch + paused.offset - server.firstChunkAt.get(tag);
          }
          results[kind][client] = row;
        } finally {
          await context.close();
        }
      }
    }
  } finally {
    await browser.close();
  }
  return results;
}
