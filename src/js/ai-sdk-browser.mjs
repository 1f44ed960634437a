// Browser / bundler entry of llmbase-wasm/ai-sdk: registers the web wasm loader, then the AI SDK provider.
import './browser.mjs';

export { createLLMBase, llmbase } from './ai-sdk-provider.mjs';
export { llmbase as default } from './ai-sdk-provider.mjs';
