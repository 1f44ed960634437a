// Source of the Node CommonJS entry point (dist/index.cjs is this file bundled by esbuild).
import loadNodeCore from './node-loader.cjs';
import { registerCoreLoader } from './core-bridge.mjs';

registerCoreLoader(loadNodeCore);

export * from './exports.mjs';
export { LLMBase as default } from './client.mjs';
