// Benchmark part: an SVG bar chart of chunks/s per client (written next to bench.json).
const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);

export function renderSvg(results) {
  const bars = [
    ['llmbase-wasm (Node)', results.stream.wasm.chunksPerSec],
    ['openai-node v6', results.stream.openai.chunksPerSec],
    ['plain fetch loop', results.stream.plain.chunksPerSec],
    ['native CLI', results.stream.native.chunksPerSec],
  ];
  if (results.browser) bars.push(['llmbase-wasm (Chromium)', results.browser.wasm]);
  const max = Math.max(...bars.map(([, v]) => v));
  const width = 720;
  const rowHeight = 34;
  const left = 200;
  const height = 60 + bars.length * rowHeight;
  const rows = bars.map(([label, value], i) => {
    const y = 40 + i * rowHeight;
    const w = Math.max(1, ((width - left - 120) * value) / max);
    return `<text x="${left - 10}" y="${y + 17}" text-anchor="end">${escape(label)}</text>`
      + `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="24" fill="#3b6fd8"/>`
      + `<text x="${left + w + 8}" y="${y + 17}">${Math.round(value).toLocaleString('en-US')}</text>`;
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="13">`
    + `<rect width="100%" height="100%" fill="#fff"/>`
    + `<text x="10" y="22" font-size="15" font-weight="bold">Chunks per second, ${results.chunks.toLocaleString('en-US')}-chunk stream over loopback (higher is better)</text>`
    + rows.join('') + '</svg>\n';
}
