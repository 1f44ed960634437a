// Recipe: the key-safe proxy as a Next.js (Vercel) route handler on the edge runtime, e.g. app/v1/[...path]/route.js.
//
// Put this file at app/v1/[...path]/route.js (and app/ui/chat/route.js re-exporting POST) so the
// widget's base-url is "https://your.site/v1"; set LLMBASE_API_KEY in the project's environment
// variables. Shared limits across Vercel's instances need a shared store: pass a RedisStore over
// your Redis client (store option); without one each instance counts on its own.
import { createProxyHandler } from 'llmbase-wasm/proxy';

export const runtime = 'edge';

let handler = null;

function proxy() {
  handler ??= createProxyHandler({
    upstream: process.env.LLMBASE_UPSTREAM ?? 'https://api.llmbase.ai/v1',
    allowModels: process.env.ALLOW_MODELS,
    allowedOrigins: process.env.ALLOWED_ORIGINS,
    allowedHosts: process.env.ALLOWED_HOSTS,
    rateLimit: process.env.RATE_LIMIT ?? '20/min',
    trustProxy: true, // Vercel's edge appends the client's address to X-Forwarded-For
    log: true,
  });
  return handler;
}

export const GET = (request) => proxy()(request);
export const POST = (request) => proxy()(request);
export const OPTIONS = (request) => proxy()(request);
