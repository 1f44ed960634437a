// CORS of the key-safe proxy: which page origins may call it, answered and enforced on the server side.
import { EXPOSE_HEADERS_VALUE } from '../api-headers.mjs';
import { HttpError } from './http-error.mjs';

// Authorization is allowed only so that OpenAI-style clients that insist on sending some key pass
// the preflight; the proxy drops it and sends its own.
const ALLOWED_REQUEST_HEADERS = 'Authorization, Content-Type, Accept, X-LLMBase-Fallback';

/**
 * `origins`: { any, list }; `selfOrigins()`: the proxy's own page origins, computed from its
 * configuration (rules.mjs selfOrigins), never inferred from the request's Host (a DNS
 * rebinding page controls the name in Host). A request without an Origin header is not a
 * cross-origin browser request (curl, a server) and passes; the allow-list is not authentication,
 * the rate limit and the model allow-list are what bound the use of the key. A page from any other
 * origin is refused with 403 before the upstream is touched, so even a "simple" GET it could send
 * blind costs nothing.
 */
export class CorsPolicy {
  #origins;
  #selfOrigins;

  constructor(origins, selfOrigins = () => []) {
    this.#origins = origins;
    this.#selfOrigins = selfOrigins;
  }

  allows(request) {
    const origin = request.headers.get('origin');
    if (origin === null) return true;
    return this.#origins.any || this.#origins.list.includes(origin) || this.#selfOrigins().includes(origin);
  }

  /** The CORS response headers for an allowed origin (into `headers`, a Headers); throws 403 for any other. */
  apply(request, headers) {
    headers.set('Vary', 'Origin');
    const origin = request.headers.get('origin');
    if (origin === null) return;
    if (!this.allows(request)) {
      // The origin is not repeated back: only listed origins are ever echoed.
      throw new HttpError(
        403,
        'origin_not_allowed',
        'Pages from this origin may not use this proxy. Its operator can allow an origin with --allowed-origins https://site.example.',
        { type: 'permission_error' }
      );
    }
    headers.set('Access-Control-Allow-Origin', this.#origins.any ? '*' : origin);
    headers.set('Access-Control-Expose-Headers', EXPOSE_HEADERS_VALUE);
  }

  /** The answer to a preflight (after apply() accepted the origin and filled `headers`). */
  preflight(headers) {
    headers.set('Access-Control-Allow-Methods', 'GET, POST, OPTIONS');
    headers.set('Access-Control-Allow-Headers', ALLOWED_REQUEST_HEADERS);
    headers.set('Access-Control-Max-Age', '600');
    return new Response(null, { status: 204, headers });
  }
}
