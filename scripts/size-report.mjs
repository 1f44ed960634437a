// Size report: the browser payload (gzipped, vs openai-node) and what the wasm carries, by section, by source and by function.
// Usage: node scripts/size-report.mjs [--top N] [--json FILE] [--no-build]   (after scripts/build.sh; npm run size-report)
// Function names come from a second link of the same browser module with --profiling-funcs (in
// build/wasm-names): it keeps the name section and otherwise emits the same code.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { payloadSizes } from './size/payload.mjs';
import { demangle, sourceOf, wasmContents } from './size/wasm-contents.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const option = (name, fallback) => (args.includes(`--${name}`) ? args[args.indexOf(`--${name}`) + 1] : fallback);
const TOP = Number(option('top', 25));
const fmt = (n) => n.toLocaleString('en-US');
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

function namedBuild() {
  const dir = join(root, 'build', 'wasm-names');
  const env = { ...process.env, NODE_PATH: '/usr/share/nodejs' };
  execFileSync('cmake', ['--preset', 'wasm', '-B', dir, '-DCMAKE_EXE_LINKER_FLAGS=--profiling-funcs'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  execFileSync('cmake', ['--build', dir, '--target', 'llmbase_wasm_web', '-j2'], {
    cwd: root,
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return join(dir, 'llmbase_core.wasm');
}

const size = await payloadSizes(root);
const shipped = readFileSync(join(root, 'dist', 'llmbase_core.wasm'));
const named = readFileSync(args.includes('--no-build') ? join(root, 'build', 'wasm-names', 'llmbase_core.wasm') : namedBuild());
const { sections } = wasmContents(shipped);
const { functions } = wasmContents(named);
const names = demangle(functions.map((f) => f.name));
functions.forEach((f, i) => {
  f.name = names[i];
  f.source = sourceOf(names[i]);
});

const out = [];
out.push('## Browser payload (chat, validation on; esbuild --minify; gzip -9)', '');
out.push('| part | raw | gzipped |', '|---|---:|---:|');
out.push(`| wrapper + glue (JS) | ${fmt(size.ours.jsRaw)} | ${fmt(size.ours.jsGz)} |`);
out.push(`| wasm | ${fmt(size.ours.wasmRaw)} | ${fmt(size.ours.wasmGz)} |`);
out.push(`| **llmbase-wasm total** | ${fmt(size.ours.totalRaw)} | **${fmt(size.ours.totalGz)}** (${kb(size.ours.totalGz)}) |`);
out.push(`| openai-node, chat only | ${fmt(size.openai.jsRaw)} | ${fmt(size.openai.jsGz)} (${kb(size.openai.jsGz)}) |`);
out.push('', `Ratio: ${(size.ours.totalGz / size.openai.jsGz).toFixed(2)}× openai-node. Required ≤ 60 KB, target ≤ 36 KB (issue 11).`, '');

out.push('## Wasm sections (shipped module)', '', '| section | bytes |', '|---|---:|');
for (const s of sections) out.push(`| ${s.name} | ${fmt(s.bytes)} |`);

const groups = new Map();
for (const f of functions) {
  const g = groups.get(f.source) || { bytes: 0, count: 0 };
  g.bytes += f.bytes;
  g.count += 1;
  groups.set(f.source, g);
}
const codeTotal = functions.reduce((sum, f) => sum + f.bytes, 0);
out.push('', '## Code by source (function bodies)', '', '| source | functions | bytes | share |', '|---|---:|---:|---:|');
for (const [source, g] of [...groups].sort((a, b) => b[1].bytes - a[1].bytes)) {
  out.push(`| ${source} | ${g.count} | ${fmt(g.bytes)} | ${((100 * g.bytes) / codeTotal).toFixed(1)}% |`);
}
out.push(`| total | ${functions.length} | ${fmt(codeTotal)} | |`);

out.push('', `## Largest ${TOP} functions`, '', '| bytes | source | function |', '|---:|---|---|');
for (const f of [...functions].sort((a, b) => b.bytes - a.bytes).slice(0, TOP)) {
  const name = f.name.length > 140 ? `${f.name.slice(0, 137)}...` : f.name;
  out.push(`| ${fmt(f.bytes)} | ${f.source} | \`${name.replace(/\|/g, '\\|')}\` |`);
}
console.log(out.join('\n'));
const jsonPath = option('json', null);
if (jsonPath) {
  writeFileSync(
    jsonPath,
    JSON.stringify({ size, sections, groups: Object.fromEntries(groups), wasmGz: gzipSync(shipped, { level: 9 }).length }, null, 2)
  );
}
