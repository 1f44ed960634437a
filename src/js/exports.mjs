// What every entry point exports: the client, its stream type, the error hierarchy and the wasm option.
export { LLMBase, DEFAULT_BASE_URL } from './client.mjs';
export { ChatCompletionStream } from './stream.mjs';
export * from './errors.mjs';
export { validateRequest } from './preflight.mjs';
export { coreDiagnostics } from './core-bridge.mjs';
export { configureWasm } from './wasm-loader.mjs';
