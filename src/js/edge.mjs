// Workers / edge entry point (conditions workerd, worker, edge-light): the .wasm is imported as a module.
import wasm from './llmbase_core.wasm';
import createLlmbaseCore from './llmbase_core.mjs';
import { registerCoreLoader } from './core-loader.mjs';
import { isWasmModule, wasmLoader } from './wasm-loader.mjs';
import { LLMBase } from './client.mjs';

// Wrangler and Vercel hand a .wasm import over as a compiled WebAssembly.Module (these hosts refuse to
// compile bytes at run time); other bundlers may give bytes (esbuild's binary loader) or a URL.
function defaultSource() {
  if (isWasmModule(wasm)) return { module: wasm };
  if (typeof wasm === 'string' || wasm instanceof URL) return { url: wasm };
  return { bytes: wasm };
}

registerCoreLoader(wasmLoader(createLlmbaseCore, defaultSource));

export * from './exports.mjs';
export default LLMBase;
