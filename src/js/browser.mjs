// Browser / bundler entry point of llmbase-wasm: ES module glue, .wasm located next to this file.
import createLlmbaseCore from './llmbase_core.mjs';
import { registerCoreLoader } from './core-bridge.mjs';
import { wasmLoader, wasmNotFoundError } from './wasm-loader.mjs';
import { LLMBase } from './client.mjs';

// Evaluated on first use, never at import: esbuild empties import.meta for code in node_modules,
// and Workers have no import.meta.url, so a top-level `new URL` would crash the whole bundle.
function defaultSource() {
  try {
    // `new URL(..., import.meta.url)` is the asset pattern Vite and webpack recognise and rewrite.
    return { url: new URL('./llmbase_core.wasm', import.meta.url) };
  } catch (error) {
    throw wasmNotFoundError(`this bundle gives the package no usable import.meta.url (${error.message})`);
  }
}

registerCoreLoader(wasmLoader(createLlmbaseCore, defaultSource));

export * from './exports.mjs';
export default LLMBase;
