// esbuild bundles of a cell, resolved the way Workers (wrangler) and edge hosts resolve packages.
import { build } from 'esbuild';
import { copyFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const SKIP = Symbol('resolving .wasm');

/** The export conditions wrangler resolves packages with for a Worker (besides the browser field). */
export const WRANGLER_CONDITIONS = ['workerd', 'worker', 'browser'];

/**
 * Next.js compiles a `.wasm` import of an edge route into a WebAssembly.Module that its runtime
 * injects as a global binding; this plugin does the same for an esbuild bundle
 * (globalThis.__edge_wasm_llmbase_core, set by the test's EdgeRuntime `extend`).
 */
export const edgeWasmBinding = {
  name: 'edge-wasm-binding',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => ({ path: args.path, namespace: 'edge-wasm' }));
    b.onLoad({ filter: /.*/, namespace: 'edge-wasm' }, () => ({
      contents: 'export default globalThis.__edge_wasm_llmbase_core;',
      loader: 'js',
    }));
  },
};

/** Keeps `.wasm` imports as separate modules next to the bundle, as wrangler's CompiledWasm rule does. */
export function externalWasm(outdir) {
  return {
    name: 'external-wasm',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        if (args.pluginData === SKIP) return undefined;
        // esbuild's own resolution, so `llmbase-wasm/llmbase_core.wasm` goes through the exports map.
        const found = await b.resolve(args.path, {
          kind: args.kind,
          resolveDir: args.resolveDir,
          importer: args.importer,
          pluginData: SKIP,
        });
        if (found.errors.length) return { errors: found.errors };
        copyFileSync(found.path, join(outdir, basename(found.path)));
        return { path: `./${basename(found.path)}`, external: true };
      });
    },
  };
}

/**
 * Bundles `entry` into `outdir/<outName>` with the given export conditions; `nodePaths` are searched
 * after the app's node_modules (the repo's, for the package's peer dependencies).
 */
export async function bundle({ entry, outdir, outName, conditions, format = 'esm', plugins = [], nodePaths = [] }) {
  await build({
    entryPoints: [entry],
    outfile: join(outdir, outName),
    bundle: true,
    format,
    platform: 'neutral',
    conditions,
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    logLevel: 'warning',
    plugins,
    nodePaths,
  });
}
