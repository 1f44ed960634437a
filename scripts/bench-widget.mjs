// Benchmark (not a test): main-thread cost of the <llmbase-chat> renderer at 1×, 2× and 4× reply length in Chromium, typical and hostile replies.
// Usage: node scripts/bench-widget.mjs [--runs N] [--scales 1,2,4] [--case TEXT] [--web DIR] [--out DIR]   (after scripts/build.sh)
//
// Two measurements per case and length:
//  - renderer: the reply's pieces go into a MarkdownStream in the page with one animation frame
//    per piece (the worst case: every piece is drawn), each frame followed by the layout the widget
//    forces when it reads scrollHeight to follow the stream; performance.now() around all of it.
//  - widget: the whole <llmbase-chat> (wasm client, stream parsing, rendering) receives the reply
//    from a loopback SSE server as fast as it can send; Chromium's main-thread task time (CDP
//    Performance.getMetrics TaskDuration) from send() to llmbase-stream-end.
// Linear cost means the 2× and 4× columns stay near 2 and 4. --web DIR measures another copy of
// web/ (for example an older commit's) against the same cases.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startServer } from '../dist/server/index.mjs';
import { startStreamServer } from './bench/stream-server.mjs';
import { launchChromium } from '../tests/browser/helpers/chromium.mjs';
import { benchCases, sseBody, streamInPage } from './bench-widget/replies.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const RUNS = Number(option('runs', 3));
const SCALES = option('scales', '1,2,4').split(',').map(Number);
const CASE = option('case', ''); // only the cases whose name contains it
const WEB = resolve(option('web', join(root, 'web')));
const OUT = option('out', join(root, 'test-results', 'bench'));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

// The two pages, served by the local server from a temporary folder: a page fulfilled by the
// browser test tooling would count as a public address and be refused loopback requests.
const PAGES = {
  'renderer.html':
    '<!doctype html><meta charset="utf-8"><title>renderer bench</title>' +
    '<style>#out { width: 46rem; height: 34rem; overflow: auto; font: 15px/1.5 system-ui; }</style><div id="out"></div>',
  'widget.html':
    '<!doctype html><meta charset="utf-8"><title>widget bench</title>' +
    '<script type="module" src="/llmbase-chat.mjs"></script><script type="module" src="/bench/widget-page.mjs"></script>',
  'widget-page.mjs': `const chat = document.createElement('llmbase-chat');
chat.setAttribute('base-url', new URLSearchParams(location.search).get('base'));
chat.setAttribute('model', 'bench/model');
chat.style.setProperty('--llmbase-height', '34rem');
document.body.append(chat);
`,
};

async function measureRenderer(page, pieces) {
  const runs = [];
  for (let i = 0; i < RUNS; i += 1) runs.push(await page.evaluate(streamInPage, { pieces }));
  return { ms: median(runs.map((r) => r.ms)), draws: runs[0].draws, chars: runs[0].chars };
}

async function measureWidget(browser, site, pieces) {
  const stream = await startStreamServer(sseBody(pieces));
  const page = await browser.newPage();
  try {
    await page.goto(`${site.origin}/bench/widget.html?base=${encodeURIComponent(stream.url)}`);
    await page.evaluate(() => customElements.whenDefined('llmbase-chat').then(() => document.querySelector('llmbase-chat').ready));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Performance.enable');
    const taskSeconds = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'TaskDuration').value;
    const runs = [];
    for (let i = 0; i <= RUNS; i += 1) {
      const before = await taskSeconds();
      const result = await page.evaluate(async () => {
        const chat = document.querySelector('llmbase-chat');
        chat.clear();
        let failure = null;
        chat.addEventListener(
          'llmbase-error',
          (e) => {
            failure = e.detail.title;
          },
          { once: true }
        );
        const ended = new Promise((done) => chat.addEventListener('llmbase-stream-end', (e) => done(e.detail.outcome), { once: true }));
        const start = performance.now();
        await chat.send('bench');
        const outcome = await ended;
        const body = chat.shadowRoot.querySelector('.msg.assistant .md');
        return { outcome, failure, wall: performance.now() - start, chars: body ? body.textContent.length : 0 };
      });
      const ms = ((await taskSeconds()) - before) * 1000;
      if (result.outcome !== 'done') throw new Error(`widget run ended with ${result.outcome}: ${result.failure}`);
      if (i > 0) runs.push({ ms, ...result }); // the first run warms up the JIT and the wasm module
    }
    return { ms: median(runs.map((r) => r.ms)), wall: median(runs.map((r) => r.wall)), chars: runs[0].chars };
  } finally {
    await page.close();
    await stream.close();
  }
}

const pages = mkdtempSync(join(tmpdir(), 'llmbase-bench-widget-'));
for (const [name, text] of Object.entries(PAGES)) writeFileSync(join(pages, name), text);
const site = await startServer({ port: 0, staticDir: WEB, staticMounts: { '/dist/': join(root, 'dist'), '/bench/': pages } });
const browser = await launchChromium();
const rows = [];
try {
  const page = await browser.newPage();
  await page.goto(`${site.origin}/bench/renderer.html`);
  for (const scale of SCALES) {
    for (const { name, text, pieces } of benchCases(scale).filter((c) => c.name.includes(CASE))) {
      const renderer = await measureRenderer(page, pieces);
      const widget = await measureWidget(browser, site, pieces);
      rows.push({ name, scale, chars: text.length, chunks: pieces.length, renderer, widget });
      console.error(`bench-widget: ${name} ${scale}×: renderer ${renderer.ms.toFixed(1)} ms, widget ${widget.ms.toFixed(1)} ms`);
    }
  }
} finally {
  await browser.close();
  await site.close();
  rmSync(pages, { recursive: true, force: true });
}

const fmt = (n, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const lines = [
  `Widget rendering, Chromium main thread, median of ${RUNS} (web: ${WEB === join(root, 'web') ? 'web/' : WEB})`,
  '',
  '| reply | length | chars | chunks | renderer ms (a frame per chunk) | × of 1× | draws | widget ms (loopback burst) | × of 1× | widget wall ms |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
];
for (const row of rows) {
  const base = rows.find((r) => r.name === row.name && r.scale === SCALES[0]);
  lines.push(
    `| ${row.name} | ${row.scale}× | ${fmt(row.chars)} | ${fmt(row.chunks)} | ${fmt(row.renderer.ms, 1)} | ${fmt(row.renderer.ms / base.renderer.ms, 2)} ` +
      `| ${fmt(row.renderer.draws)} | ${fmt(row.widget.ms, 1)} | ${fmt(row.widget.ms / base.widget.ms, 2)} | ${fmt(row.widget.wall, 0)} |`
  );
}
console.log(lines.join('\n'));
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'widget.json'), `${JSON.stringify({ date: new Date().toISOString(), runs: RUNS, web: WEB, rows }, null, 2)}\n`);
