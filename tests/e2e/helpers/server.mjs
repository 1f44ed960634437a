// Shared set-up for the local-server e2e tests: start/stop a server, send chat requests, wait for events.
import { startServer } from '../../../src/js/server/index.mjs';

export const KEY = 'llmbase_test_key';
export const FLASH = 'deepseek/deepseek-v4-flash';

/** A server on a free port with no delay between stream chunks, so the suite stays fast. */
export function startTestServer(options = {}) {
  return startServer({ chunkDelayMs: 0, ...options });
}

/** The local server and a client of it: `before(async () => ({ server, client } = await startWithClient(LLMBase, KEY)))`. */
export async function startWithClient(LLMBase, apiKey, options = {}) {
  const server = await startTestServer({ port: 0, ...options });
  return { server, client: new LLMBase({ apiKey, baseURL: server.url }) };
}

export function jsonHeaders(extra = {}, key = KEY) {
  return { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}), ...extra };
}

export function userMessage(text) {
  return [{ role: 'user', content: text }];
}

/** POST /v1/chat/completions with fetch; `body` is an object (or a string sent as is). */
export function postChat(server, body, { headers = {}, key = KEY, signal } = {}) {
  return fetch(`${server.url}/chat/completions`, {
    method: 'POST',
    headers: jsonHeaders(headers, key),
    body: typeof body === 'string' ? body : JSON.stringify(body),
    signal,
  });
}

export async function getJson(url, headers = {}) {
  const response = await fetch(url, { headers });
  return { response, body: await response.json() };
}

/** Resolves with the first `event` payload for which `predicate` holds. */
export function nextEvent(emitter, event, predicate = () => true) {
  return new Promise((resolve) => {
    const listener = (payload) => {
      if (!predicate(payload)) return;
      emitter.off(event, listener);
      resolve(payload);
    };
    emitter.on(event, listener);
  });
}

/**
 * Waits until `condition()` holds, checking each event-loop turn. The deadline only stops a broken test
 * from hanging; passing never depends on how fast things happen.
 */
export async function waitUntil(condition, what, deadlineMs = 10_000) {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > deadlineMs) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

/** Cost in USD from catalog metadata pricing (USD per 1M tokens), the way the client will compute it. */
export function costFromPricing(pricing, usage) {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? 0;
  const cacheRead = pricing.input_cache_read ?? pricing.input;
  return ((usage.prompt_tokens - cached) * pricing.input + cached * cacheRead + usage.completion_tokens * pricing.output) / 1e6;
}
