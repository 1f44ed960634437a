// Type check: on Node, llmbase-wasm/proxy also gives startProxy (the proxy as a Node server) with its options and result.
import { startProxy, DEFAULT_SHUTDOWN_TIMEOUT_MS, type RunningProxy } from 'llmbase-wasm/proxy';

const proxy: RunningProxy = await startProxy({
  upstream: 'https://api.llmbase.ai/v1',
  apiKey: 'llmbase_x',
  staticDir: '.',
  shutdownTimeout: DEFAULT_SHUTDOWN_TIMEOUT_MS,
});
console.log(proxy.url, proxy.settings.maxTokensCap, proxy.server.listening, proxy.handler.stats.forwarded);
await proxy.close({ deadlineMs: 100 });
// @ts-expect-error startProxy needs an upstream
await startProxy({ apiKey: 'llmbase_x' });
