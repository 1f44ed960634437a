// What every entry of llmbase-wasm/proxy exports: the fetch handler and the stores (the entries differ only in the wasm loader).
export { createProxyHandler } from './proxy/handler.mjs';
export { MemoryStore } from './proxy/store.mjs';
export { RedisStore } from './proxy/redis-store.mjs';
export { DurableObjectStore, ProxyCounter } from './proxy/durable-object-store.mjs';
export {
  DEFAULT_PROXY_MAX_TOKENS_CAP,
  DEFAULT_PROXY_RATE_LIMIT,
  DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS,
  DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS,
} from './proxy/options.mjs';
