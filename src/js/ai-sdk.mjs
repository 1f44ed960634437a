// Node entry of llmbase-wasm/ai-sdk: registers the Node wasm loader, then the AI SDK provider.
import './index.mjs';

export { createLLMBase, llmbase } from './ai-sdk-provider.mjs';
export { llmbase as default } from './ai-sdk-provider.mjs';
