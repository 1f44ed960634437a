// What every entry point exports: the client, its stream type, the error hierarchy and the wasm option.
export { LLMBase, DEFAULT_BASE_URL } from './client.mjs';
export { ChatCompletionStream } from './stream.mjs';
// The runners chat.completions.stream() and runTools() return.
export { ChatCompletionStreamRunner } from './chat-completion-runner.mjs';
export { ChatCompletionToolRunner } from './tool-runner.mjs';
export * from './errors.mjs';
export { validateRequest } from './validate-request.mjs';
export { coreDiagnostics } from './core-loader.mjs';
export { configureWasm } from './wasm-loader.mjs';
