// Workers / edge entry of llmbase-wasm/ai-sdk (workerd, edge-light, worker): registers the edge wasm loader, then the provider.
import './edge.mjs';

export { createLLMBase, llmbase } from './ai-sdk-provider.mjs';
export { llmbase as default } from './ai-sdk-provider.mjs';
