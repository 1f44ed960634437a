// Node ESM entry point of llmbase-wasm (also what Bun and Deno load through the `node` condition).
import nodeLoader from './node-loader.cjs';
import { registerCoreLoader } from './core-loader.mjs';
import { wasmLoader } from './wasm-loader.mjs';
import { LLMBase } from './client.mjs';

registerCoreLoader(wasmLoader(nodeLoader.createCore, nodeLoader.defaultSource, nodeLoader.readUrl));

export * from './exports.mjs';
export default LLMBase;
