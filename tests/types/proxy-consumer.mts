// Type check: llmbase-wasm/proxy (the fetch handler and its stores) needs no Node types (it runs on Workers and edge hosts; the bundler config checks it without the `node` condition).
import { createProxyHandler, DurableObjectStore, MemoryStore, type ProxyStore } from 'llmbase-wasm/proxy';

const store: ProxyStore = new MemoryStore();
const handler = createProxyHandler({
  upstream: 'https://api.llmbase.ai/v1',
  env: { LLMBASE_API_KEY: 'llmbase_x' },
  store,
  spendLimit: { perClientUSD: 0.5, siteUSD: 20 },
  log: true,
});
const response: Response = await handler(new Request('http://127.0.0.1/healthz'), { clientIp: '127.0.0.1' });
console.log(response.status, handler.stats.requests);
// @ts-expect-error the spend limit is in USD numbers
createProxyHandler({ upstream: 'https://api.llmbase.ai/v1', spendLimit: { perClientUSD: '1' } });
// @ts-expect-error a store needs incr and get
createProxyHandler({ upstream: 'https://api.llmbase.ai/v1', store: { get: async () => 0 } });
const namespace = { idFromName: (name: string) => name, get: () => ({ fetch: (input: string) => fetch(input) }) };
console.log(new DurableObjectStore(namespace).name);
