// LLMBase's response headers a page script must be able to read: one list for the local server (which plays the API) and the proxy (which passes it on).
//
// Neutral ground on purpose, neither in src/js/server nor in src/js/proxy: the list is a fact about
// the API, which neither side owns. The local server stays independent of our client (its validator
// and token counter are its own), and sharing this list does not change that; it only keeps a header
// the client reads (x-llmbase-served-model, the retry hints) from being readable through one and
// hidden by the other.

/** LLMBase's x-llmbase-* response headers (llmbase-api.md §10), by exact name. */
export const LLMBASE_RESPONSE_HEADERS = Object.freeze([
  'x-llmbase-requested-model',
  'x-llmbase-served-model',
  'x-llmbase-fallback-applied',
  'x-llmbase-fallback-reason',
  'x-llmbase-fallback-chain',
]);

/**
 * Every response header a browser page may read (CORS exposes only those listed): the request id
 * for support, the fallback headers and the retry hints (Decisions §5, §7).
 */
export const BROWSER_READABLE_HEADERS = Object.freeze(['x-request-id', ...LLMBASE_RESPONSE_HEADERS, 'retry-after', 'retry-after-ms']);

/** BROWSER_READABLE_HEADERS as the value of Access-Control-Expose-Headers. */
export const EXPOSE_HEADERS_VALUE = BROWSER_READABLE_HEADERS.join(', ');
