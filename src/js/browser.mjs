// Browser / bundler entry point of llmbase-wasm: the chat module first, the full core on demand; each .wasm located next to this file.
import createChatCore from './llmbase_core_chat.mjs';
import { registerCoreLoader } from './core-loader.mjs';
import { wasmConfigured, wasmLoader, wasmNotFoundError } from './wasm-loader.mjs';
import { LLMBase } from './client.mjs';

// Evaluated on first use, never at import: esbuild empties import.meta for code in node_modules,
// and Workers have no import.meta.url, so a top-level `new URL` would crash the whole bundle.
// Each `new URL('./….wasm', import.meta.url)` is spelled out: it is the asset pattern Vite and
// webpack recognise and rewrite.
function located(url) {
  try {
    return { url: url() };
  } catch (error) {
    throw wasmNotFoundError(`this bundle gives the package no usable import.meta.url (${error.message})`);
  }
}
const chatSource = () => located(() => new URL('./llmbase_core_chat.wasm', import.meta.url));
const fullSource = () => located(() => new URL('./llmbase_core.wasm', import.meta.url));

// The full core (JSON Schema validation, partial JSON, the tool loop) is 83 KB gzipped against the
// chat module's 62 KB: a page that only chats never downloads it. Its glue is a separate chunk.
const loadFull = wasmLoader((options) => import('./llmbase_core.mjs').then((glue) => glue.default(options)), fullSource);
const loadChat = wasmLoader(createChatCore, chatSource);

// configureWasm() names one module, the full core (llmbase_core.wasm): then it is the only one.
registerCoreLoader(() => (wasmConfigured() ? loadFull() : loadChat()), loadFull);

export * from './exports.mjs';
export default LLMBase;
