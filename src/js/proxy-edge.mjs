// Workers / edge entry of llmbase-wasm/proxy (workerd, edge-light, worker, browser): the edge wasm loader, then the handler and the stores.
import './edge.mjs';

export * from './proxy-exports.mjs';
