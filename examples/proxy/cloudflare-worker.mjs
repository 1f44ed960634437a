// Recipe: the key-safe proxy as a Cloudflare Worker, its limits counted in a Durable Object (wrangler.toml beside this file).
//
//   npx wrangler secret put LLMBASE_API_KEY       # the key never sits in a file
//   npx wrangler deploy
// The widget then takes base-url="https://<your worker>/v1" (or useChat's api ".../ui/chat").
import { createProxyHandler, DurableObjectStore } from 'llmbase-wasm/proxy';

// The Durable Object class the store talks to: bound as PROXY_COUNTERS in wrangler.toml.
export { ProxyCounter } from 'llmbase-wasm/proxy';

let handler = null; // one per isolate: built on the first request, when env is known

function proxyFor(env) {
  handler ??= createProxyHandler({
    upstream: env.LLMBASE_UPSTREAM ?? 'https://api.llmbase.ai/v1',
    env, // LLMBASE_API_KEY comes from the Worker's secrets
    allowModels: env.ALLOW_MODELS,
    allowedOrigins: env.ALLOWED_ORIGINS,
    allowedHosts: env.ALLOWED_HOSTS, // the Worker's own name, e.g. chat-proxy.example.workers.dev
    maxTokensCap: env.MAX_TOKENS_CAP ? Number(env.MAX_TOKENS_CAP) : undefined,
    rateLimit: env.RATE_LIMIT ?? '20/min',
    spendLimit: env.SPEND_LIMIT_SITE_USD
      ? { perClientUSD: Number(env.SPEND_LIMIT_CLIENT_USD ?? env.SPEND_LIMIT_SITE_USD), siteUSD: Number(env.SPEND_LIMIT_SITE_USD) }
      : undefined,
    store: new DurableObjectStore(env.PROXY_COUNTERS),
    clientIpHeader: 'cf-connecting-ip', // set by Cloudflare's edge, not by the client
    log: true, // JSON lines: Workers Logs collects console.log
  });
  return handler;
}

export default {
  fetch(request, env, ctx) {
    return proxyFor(env)(request, { waitUntil: (promise) => ctx.waitUntil(promise) });
  },
};
