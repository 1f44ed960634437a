// Miniflare options shared by the workerd cells: a bundled Worker with wrangler's default .wasm rule.
import { join } from 'node:path';

export function workerOptions(dir, extra = {}) {
  return {
    modules: true,
    scriptPath: join(dir, 'worker.mjs'),
    // What wrangler's default module rules do with a .wasm import: hand the Worker a compiled WebAssembly.Module.
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-07-01',
    ...extra,
  };
}
