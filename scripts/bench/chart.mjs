// Benchmark part: an SVG bar chart of chunks/s per client and stream kind (written next to bench.json).
import { CLIENTS, CLIENT_NAMES } from './report.mjs';

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]);
const COLORS = { content: '#3b6fd8', tools: '#d8823b', reasoning: '#3ba55c' };

export function renderSvg(results) {
  const groups = Object.entries(results.streams).map(([kind, rows]) => ({
    kind,
    bars: CLIENTS.filter((c) => rows[c]).map((c) => [CLIENT_NAMES[c], rows[c].chunksPerSec]),
  }));
  const max = Math.max(1, ...groups.flatMap((g) => g.bars.map(([, v]) => v)));
  const width = 780;
  const rowHeight = 26;
  const left = 250;
  const parts = [];
  let y = 40;
  for (const group of groups) {
    parts.push(
      `<text x="10" y="${y + 14}" font-weight="bold">${escape(group.kind)} stream, ${results.kinds[group.kind].expect.chunks.toLocaleString('en-US')} chunks</text>`
    );
    y += 22;
    for (const [label, value] of group.bars) {
      const w = Math.max(1, ((width - left - 110) * value) / max);
      parts.push(
        `<text x="${left - 10}" y="${y + 14}" text-anchor="end">${escape(label)}</text>` +
          `<rect x="${left}" y="${y}" width="${w.toFixed(1)}" height="18" fill="${COLORS[group.kind] || '#3b6fd8'}"/>` +
          `<text x="${left + w + 8}" y="${y + 14}">${Math.round(value).toLocaleString('en-US')}</text>`
      );
      y += rowHeight;
    }
    y += 10;
  }
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${y + 10}" font-family="sans-serif" font-size="13">` +
    '<rect width="100%" height="100%" fill="#fff"/>' +
    '<text x="10" y="22" font-size="15" font-weight="bold">Chunks per second over loopback, per stream kind (higher is better)</text>' +
    parts.join('') +
    '</svg>\n'
  );
}
