// Builds the <llmbase-chat> widget into dist/: llmbase-chat.js (one file for a <script> tag) and chat.mjs (for bundlers).
//
// web/llmbase-chat.mjs imports the client as './dist/browser.mjs' (the repository serves dist/ next
// to web/). In the package that import is resolved two ways:
//  - dist/llmbase-chat.js bundles the client and the chat module's glue in: a static site needs only
//    this file and llmbase_core_chat.wasm beside it (browser.mjs finds it through import.meta.url).
//    The full core's glue stays a separate file (./llmbase_core.mjs), loaded only if a request
//    needs it (a JSON Schema), which the widget never sends;
//  - dist/chat.mjs keeps `import … from './browser.mjs'`, so a bundler that also imports
//    'llmbase-wasm' loads one copy of the client and one wasm module.
import { copyFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Points the widget's client import at `path` (external: left as an import of that path).
const clientAt = (path, external) => ({
  name: 'llmbase-client',
  setup(b) {
    b.onResolve({ filter: /^\.\/dist\/browser\.mjs$/ }, () => ({ path, external }));
  },
});

// Leaves browser.mjs's on-demand import of the full core's glue as an import of the file beside.
const fullCoreApart = {
  name: 'llmbase-full-core-apart',
  setup(b) {
    b.onResolve({ filter: /^\.\/llmbase_core\.mjs$/ }, () => ({ path: './llmbase_core.mjs', external: true }));
  },
};

export async function buildWidget({ root, dist }) {
  const common = {
    entryPoints: [join(root, 'web', 'llmbase-chat.mjs')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022', // #private fields, static blocks: what the widget's sources use
    logLevel: 'warning',
  };
  await build({
    ...common,
    outfile: join(dist, 'llmbase-chat.js'),
    minify: true,
    legalComments: 'none',
    banner: { js: '// <llmbase-chat> from llmbase-wasm (MIT): keep llmbase_core_chat.wasm next to this file.' },
    plugins: [clientAt(join(dist, 'browser.mjs'), false), fullCoreApart],
  });
  await build({ ...common, outfile: join(dist, 'chat.mjs'), plugins: [clientAt('./browser.mjs', true)] });
  copyFileSync(join(root, 'web', 'llmbase-chat.d.ts'), join(dist, 'chat.d.ts'));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(dirname(fileURLToPath(import.meta.url)), '..');
  await buildWidget({ root, dist: join(root, 'dist') });
  console.log('build-widget: dist/llmbase-chat.js and dist/chat.mjs ready');
}
