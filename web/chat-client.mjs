// The HTTP client <llmbase-chat> talks through: keyless, cookieless, few retries (the proxy holds the key).
import { LLMBase } from './dist/browser.mjs';

/**
 * The client the widget uses: no key and no Authorization header at all (allowMissingKey), since the
 * server at `baseURL` adds the key; no cookies either, the proxy needs none.
 */
export function createWidgetClient(baseURL) {
  return new LLMBase({
    baseURL,
    apiKey: '',
    allowMissingKey: true,
    // A person is waiting: at most one quiet retry, and never a long silent wait for a server's
    // retry-after; past 3 s the widget says how long to wait instead.
    maxRetries: 1,
    maxRetryAfterMs: 3000,
    fetch: (url, init) => fetch(url, { ...init, credentials: 'omit' }),
  });
}
