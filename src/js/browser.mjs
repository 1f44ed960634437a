// Browser / bundler entry point of llmbase-wasm: ES module glue, .wasm located next to this file.
import createLlmbaseCore from './llmbase_core.mjs';
import { registerCoreLoader } from './core-bridge.mjs';
import { LLMBase } from './client.mjs';

// `new URL(..., import.meta.url)` is the asset pattern bundlers recognise and rewrite.
const wasmUrl = new URL('./llmbase_core.wasm', import.meta.url);

registerCoreLoader(() =>
  createLlmbaseCore({ locateFile: (file) => (file.endsWith('.wasm') ? wasmUrl.href : file) }),
);

export * from './exports.mjs';
export default LLMBase;
