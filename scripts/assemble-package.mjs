// Assembles dist/ (the npm package payload) from src/js and the wasm build: copies, then bundles the CJS entry.
import { cpSync, existsSync, mkdirSync, rmSync, copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { cjsDeclarations } from './cjs-declarations.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const wasmDir = process.argv[2] || join(root, 'build', 'wasm');
const dist = join(root, 'dist');

// The browser modules (the chat module browsers load first, and the full core; no CLI code), the
// Node module (the same client) and the Node CLI's front end (src/cli, loaded by dist/cli.mjs
// only) are four builds.
const wasmOutputs = [
  'llmbase_core_chat.mjs',
  'llmbase_core_chat.wasm',
  'llmbase_core.mjs',
  'llmbase_core.wasm',
  'llmbase_core.node.cjs',
  'llmbase_core.node.wasm',
  'llmbase_cli.node.cjs',
  'llmbase_cli.node.wasm',
];
for (const file of wasmOutputs) {
  if (!existsSync(join(wasmDir, file))) {
    console.error(`assemble-package: ${join(wasmDir, file)} is missing; run scripts/build.sh first.`);
    process.exit(1);
  }
}

rmSync(dist, { recursive: true, force: true });
mkdirSync(dist, { recursive: true });
// The ESM sources are shipped as they are: no transpiling, so stack traces match src/js.
cpSync(join(root, 'src', 'js'), dist, { recursive: true, filter: (src) => !src.endsWith('index-cjs.mjs') });
for (const file of wasmOutputs) copyFileSync(join(wasmDir, file), join(dist, file));
// require() users get their own declarations: TypeScript reads .d.cts as the CommonJS shape.
const declarations = (name) => readFileSync(join(root, 'src', 'js', name), 'utf8');
// index.d.ts and every file it `export *`s (read from it, so a further split cannot drop types).
const esmIndex = declarations('index.d.ts');
const reexported = [...esmIndex.matchAll(/^export \* from '\.\/([\w.-]+)\.js';$/gm)].map((m) => declarations(`${m[1]}.d.ts`));
writeFileSync(join(dist, 'index.d.cts'), cjsDeclarations(esmIndex, ...reexported));

// CommonJS entry: one bundle of the same ESM sources, so there is a single source of truth.
await build({
  entryPoints: [join(root, 'src', 'js', 'index-cjs.mjs')],
  outfile: join(dist, 'index.cjs'),
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  external: ['./llmbase_core.node.cjs'],
  logLevel: 'warning',
  // `const LLMBase = require('llmbase-wasm')` works as with openai-node, and so do named imports.
  footer: { js: 'module.exports = Object.assign(module.exports.LLMBase, module.exports);' },
});
await (await import('./build-widget.mjs')).buildWidget({ root, dist }); // the <llmbase-chat> widget
console.log(`assemble-package: dist/ ready (${wasmOutputs.length} wasm outputs + JS entries)`);
