// Recipe: the key-safe proxy on Bun (Bun.serve). Run: LLMBASE_API_KEY=… bun bun.mjs
import { createProxyHandler } from 'llmbase-wasm/proxy';

const handler = createProxyHandler({
  upstream: process.env.LLMBASE_UPSTREAM ?? 'https://api.llmbase.ai/v1',
  allowModels: process.env.ALLOW_MODELS,
  allowedOrigins: process.env.ALLOWED_ORIGINS,
  rateLimit: process.env.RATE_LIMIT ?? '20/min',
  log: true,
});

const server = Bun.serve({
  port: Number(process.env.PORT ?? 8787),
  hostname: process.env.HOST ?? '127.0.0.1',
  idleTimeout: 0, // a streamed reply may pause longer than Bun's default 10 s; the proxy's own idle limit applies
  fetch: (request, bunServer) => handler(request, { clientIp: bunServer.requestIP(request)?.address }),
});
handler.listening(server.port);
console.log(`LLMBase key-safe proxy listening on http://${server.hostname}:${server.port}/v1`);

// SIGTERM: /healthz says draining; stop() waits for the requests in flight.
process.on('SIGTERM', async () => {
  handler.drain();
  await server.stop();
  await handler.close();
});
