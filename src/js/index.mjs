// Node ESM entry point of llmbase-wasm.
import { createRequire } from 'node:module';
import { registerCoreLoader } from './core-bridge.mjs';
import { LLMBase } from './client.mjs';

registerCoreLoader(createRequire(import.meta.url)('./node-loader.cjs'));

export * from './exports.mjs';
export default LLMBase;
