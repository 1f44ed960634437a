// Recipe: the key-safe proxy on Deno (Deno.serve). Run: LLMBASE_API_KEY=… deno run --allow-net --allow-env --allow-read deno.mjs
import { createProxyHandler } from 'llmbase-wasm/proxy';

const port = Number(Deno.env.get('PORT') ?? 8787);
const handler = createProxyHandler({
  upstream: Deno.env.get('LLMBASE_UPSTREAM') ?? 'https://api.llmbase.ai/v1',
  allowModels: Deno.env.get('ALLOW_MODELS'),
  allowedOrigins: Deno.env.get('ALLOWED_ORIGINS'),
  rateLimit: Deno.env.get('RATE_LIMIT') ?? '20/min',
  log: true,
  port,
});

const server = Deno.serve(
  {
    port,
    hostname: Deno.env.get('HOST') ?? '127.0.0.1',
    onListen: ({ hostname, port: bound }) => {
      handler.listening(bound);
      console.log(`LLMBase key-safe proxy listening on http://${hostname}:${bound}/v1`);
    },
  },
  (request, info) => handler(request, { clientIp: info.remoteAddr.hostname })
);

// SIGTERM: /healthz says draining while the server lets open streams finish.
Deno.addSignalListener('SIGTERM', async () => {
  handler.drain();
  await server.shutdown();
  await handler.close();
});
