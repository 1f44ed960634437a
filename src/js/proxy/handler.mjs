// The key-safe proxy as one fetch handler, createProxyHandler(options) → (request, info?) => Promise<Response>, for Node, Workers, edge, Deno and Bun.
//
// What a browser may do through it, and nothing more:
//   POST /v1/chat/completions   after the model allow-list, the max_tokens cap, the spending limit
//                               and the shared validation (the wasm core's validateRequest against
//                               the upstream's metadata); streamed back as it arrives
//   GET  /v1/models             the upstream list, filtered by the allow-list
//   GET  /v1/model-metadata     the upstream metadata (cached), filtered by the allow-list
//   POST /ui/chat               the AI SDK's useChat, through the same gates (ui-chat.mjs)
//   GET  /healthz               liveness for a load balancer (503 while draining)
// Every other /v1 path is a 404, so the key can never reach /v1/balance or anything added later.
// An incoming Authorization header is dropped; the upstream gets `Bearer $LLMBASE_API_KEY`. The key
// is never written into a response or a log line. Requests are counted per client IP in the store
// (memory, Redis, a Durable Object), and browser origins are checked against allowedOrigins.
// `info` (optional): { clientIp, waitUntil } from the platform adapter.
import { HttpError, methodNotAllowed, newRequestId, parseJsonText, requireJsonType } from './http-error.mjs';
import { loadCore } from '../core-loader.mjs';
import { normalizeProxyOptions } from './options.mjs';
import { RateLimit, storeCall } from './store.mjs';
import { SpendLimit } from './spend.mjs';
import { Pricing } from './meter.mjs';
import { fetchJson, fetchUpstream, passedHeaders, relayBody, unreachable } from './upstream.mjs';
import { hostAllowed, hostRefusal, scrubText, selfOrigins } from './rules.mjs';
import { CorsPolicy } from './cors.mjs';
import { UI_CHAT_PATH, UiChatRoute } from './ui-chat.mjs';
import { MetadataCache, metadataList, readBodyText, accessEntry } from './handler-parts.mjs';
import { ChatAdmission } from './chat-admission.mjs';

// Upstream paths of the metadata requests the core names (its build_request's URLs for them).
const METADATA_PATHS = { 'model-metadata': '/model-metadata', 'models-metadata': '/models?metadata=true' };

const ENDPOINTS = {
  '/v1/chat/completions': 'POST',
  '/v1/models': 'GET',
  '/v1/model-metadata': 'GET',
  [UI_CHAT_PATH]: 'POST', // the AI SDK's useChat, answered in the UI message stream protocol
};
export const HEALTH_PATH = '/healthz';
const MODELS_QUERY = ['metadata', 'filter']; // the documented /v1/models query parameters (llmbase-api.md §11)

/** Whether `pathname` is the proxy's (the Node adapter serves static files for every other path). */
export function isProxyPath(pathname) {
  return pathname === '/v1' || pathname.startsWith('/v1/') || pathname === UI_CHAT_PATH || pathname === HEALTH_PATH;
}

function jsonResponse(status, value, headers, scrub) {
  headers.set('content-type', 'application/json; charset=utf-8');
  return new Response(scrub(JSON.stringify(value)), { status, headers });
}

class KeySafeProxy {
  #o;
  #limiter;
  #spend;
  #cors;
  #metadata;
  #pricing = new Pricing();
  #metering;
  #admission;
  #selfOrigins = [];
  #ui;
  draining = false;

  constructor(options) {
    this.#o = normalizeProxyOptions(options);
    this.#limiter = this.#o.rateLimit ? new RateLimit(this.#o.store, this.#o.rateLimit) : null;
    this.#spend = this.#o.spendLimit ? new SpendLimit(this.#o.store, this.#o.spendLimit) : null;
    // The core decodes the relayed bytes only when someone needs the usage: the log or the spend cap.
    this.#metering = Boolean(this.#o.log || this.#spend);
    this.#cors = new CorsPolicy(this.#o.origins, () => this.#selfOrigins);
    this.#metadata = new MetadataCache(() => this.#loadMetadata(), this.#o.metadataTTL);
    this.#admission = new ChatAdmission(this.#o, {
      metadata: this.#metadata,
      spend: this.#spend,
      pricing: this.#pricing,
      metering: this.#metering,
    });
    this.stats = { requests: 0, forwarded: 0, refused: 0 };
    this.#ui = new UiChatRoute(this.#o, { admit: (body, ctx) => this.#admission.admit(body, ctx), stats: this.stats });
    this.listening(options.port ?? 0);
  }

  get options() {
    return this.#o;
  }

  get spend() {
    return this.#spend;
  }

  /** The proxy's own page origins follow from its names and the port it listens on (never from Host). */
  listening(port) {
    this.#selfOrigins = selfOrigins(this.#o.allowedHosts, port || '').map((origin) => origin.replace(/:$/, ''));
  }

  /** `text` with the key redacted: every byte the proxy sends passes through this or a KeyScrubber. */
  scrub(text) {
    return scrubText(text, this.#o.apiKey);
  }

  #timeouts() {
    return { headersTimeoutMs: this.#o.upstreamHeadersTimeout, idleTimeoutMs: this.#o.upstreamIdleTimeout };
  }

  // Upstream request headers: the key is added here and only here.
  #upstreamHeaders(request, extra = {}) {
    // identity: the body is scrubbed of the key as it passes, which needs it uncompressed.
    const headers = {
      authorization: `Bearer ${this.#o.apiKey}`,
      'user-agent': 'llmbase-wasm-proxy',
      'accept-encoding': 'identity',
      ...extra,
    };
    headers.accept = request?.headers.get('accept') ?? 'application/json';
    const fallback = request?.headers.get('x-llmbase-fallback');
    if (fallback !== null && fallback !== undefined) headers['x-llmbase-fallback'] = fallback;
    return headers;
  }

  async #loadMetadata() {
    const options = { headers: this.#upstreamHeaders(null), ...this.#timeouts() };
    const core = await loadCore();
    // The core decides the fetch as for the clients: /model-metadata, then its fallback on a 404.
    let endpoint = 'model-metadata';
    let answer = await fetchJson(`${this.#o.upstream}${METADATA_PATHS[endpoint]}`, options);
    for (;;) {
      const failure = answer.status === 404 ? 'not_found' : answer.status >= 400 ? 'api_status' : '';
      endpoint = failure ? core.metadataFallback(endpoint, failure) : '';
      if (!endpoint || !METADATA_PATHS[endpoint]) break;
      answer = await fetchJson(`${this.#o.upstream}${METADATA_PATHS[endpoint]}`, options);
    }
    const list = answer.status >= 200 && answer.status < 300 ? metadataList(answer.body) : null;
    if (!list) throw new Error(`the upstream answered the metadata request with ${answer.status}`);
    return list;
  }

  // Behind the operator's own reverse proxy (trustProxy), the client is the last X-Forwarded-For
  // entry: the one that proxy appended. Earlier entries come from the client and could be made up.
  // clientIpHeader names a header the platform sets itself (cf-connecting-ip on Workers).
  clientIp(request, info) {
    if (this.#o.clientIpHeader) {
      const value = request.headers.get(this.#o.clientIpHeader);
      if (value) return value.trim();
    }
    if (this.#o.trustProxy) {
      const last = (request.headers.get('x-forwarded-for') ?? '')
        .split(',')
        .map((part) => part.trim())
        .filter(Boolean)
        .pop();
      if (last) return last;
    }
    return String(info?.clientIp ?? 'unknown').replace(/^::ffff:/, '');
  }

  async handle(request, ctx, headers) {
    const url = new URL(request.url);
    // DNS rebinding: a page at attacker.example resolved to this address sends Host: attacker.example.
    if (!hostAllowed(request.headers.get('host') ?? url.host, this.#o.allowedHosts)) throw hostRefusal();
    const { pathname } = url;
    ctx.route = pathname;
    if (pathname === HEALTH_PATH) {
      const draining = this.draining;
      return jsonResponse(
        draining ? 503 : 200,
        { status: draining ? 'draining' : 'ok', store: this.#o.store.name ?? 'custom' },
        headers,
        (t) => t
      );
    }
    if (!isProxyPath(pathname))
      throw new HttpError(404, 'not_found', `No route for ${request.method} ${pathname}. The API lives under /v1.`);
    // Before anything touches the upstream: the origin, then the endpoint, then the client's rate.
    this.#cors.apply(request, headers);
    if (request.method === 'OPTIONS') return this.#cors.preflight(headers);
    const method = ENDPOINTS[pathname];
    if (!method) {
      throw new HttpError(
        404,
        'not_found',
        `This proxy forwards only ${Object.keys(ENDPOINTS)
          .map((p) => `${ENDPOINTS[p]} ${p}`)
          .join(', ')}; ${request.method} ${pathname} is not one of them.`
      );
    }
    if (request.method !== method) throw methodNotAllowed(request.method, [method]);
    if (this.#limiter) {
      const waitMs = await storeCall(this.#limiter.take(ctx.client));
      if (waitMs > 0) {
        const { requests, windowMs } = this.#limiter.limit;
        throw new HttpError(
          429,
          'rate_limit_exceeded',
          `Too many requests from your address: this proxy allows ${requests} per ${windowMs / 1000} s. Retry in ${Math.ceil(waitMs / 1000)} s.`,
          { headers: { 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) } }
        );
      }
    }
    if (pathname === UI_CHAT_PATH) {
      const parsed = await this.#jsonBody(request);
      return this.#ui.handle(parsed, ctx, headers, request.headers.get('x-llmbase-fallback'));
    }
    if (pathname === '/v1/chat/completions') return this.#chat(request, ctx, headers);
    if (pathname === '/v1/models') return this.#models(request, url.searchParams, headers);
    return this.#modelMetadata(headers);
  }

  async #jsonBody(request) {
    requireJsonType(request.headers.get('content-type'));
    return parseJsonText(await readBodyText(request, this.#o.maxBodyBytes));
  }

  async #chat(request, ctx, headers) {
    const parsed = await this.#jsonBody(request);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object.');
    }
    const body = await this.#admission.admit(parsed, ctx);
    const meter = this.#metering ? await this.#pricing.meter(body) : null;
    let upstream;
    try {
      upstream = await fetchUpstream(`${this.#o.upstream}/chat/completions`, {
        method: 'POST',
        headers: this.#upstreamHeaders(request, { 'content-type': 'application/json' }),
        body: JSON.stringify(body),
        signal: request.signal,
        ...this.#timeouts(),
      });
    } catch (error) {
      meter?.release();
      if (request.signal?.aborted) throw new HttpError(499, 'client_closed', 'The client closed the request.');
      throw unreachable(error);
    }
    this.stats.forwarded += 1;
    const { response } = upstream;
    meter?.response(response.status, response.headers);
    const served = response.headers.get('x-llmbase-served-model');
    passedHeaders(response.headers, this.#o.apiKey, headers);
    const finish = (outcome) => ctx.settle(outcome, meter ? meter.end(outcome, served) : null);
    if (!upstream.body) {
      finish('done');
      return new Response(null, { status: response.status, headers });
    }
    ctx.pending = true;
    const relayed = relayBody(upstream, {
      secret: this.#o.apiKey,
      onBytes: meter ? (chunk) => meter.bytes(chunk) : undefined,
      onEnd: finish,
    });
    return new Response(relayed, { status: response.status, headers });
  }

  async #models(request, query, headers) {
    const forwarded = new URLSearchParams();
    for (const name of MODELS_QUERY) if (query.has(name)) forwarded.set(name, query.get(name));
    const suffix = forwarded.toString() ? `?${forwarded}` : '';
    let answer;
    try {
      answer = await fetchJson(`${this.#o.upstream}/models${suffix}`, { headers: this.#upstreamHeaders(request), ...this.#timeouts() });
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.body === null)
      throw new HttpError(502, 'invalid_upstream_response', `The upstream answered /models with ${answer.status} and no JSON.`);
    this.stats.forwarded += 1;
    let body = answer.body;
    const list = metadataList(body);
    if (answer.status < 300 && list && this.#o.allowModels)
      body = { object: 'list', data: list.filter((m) => this.#admission.allowed(m.id)) };
    return jsonResponse(answer.status, body, headers, (text) => this.scrub(text));
  }

  async #modelMetadata(headers) {
    const list = await this.#metadata.get();
    if (!list) {
      const reason = this.#metadata.lastError?.code ?? this.#metadata.lastError?.message ?? 'unknown error';
      throw new HttpError(502, 'upstream_unavailable', `The model metadata could not be fetched from the upstream (${reason}).`);
    }
    this.stats.forwarded += 1;
    return jsonResponse(200, { object: 'list', data: list.filter((m) => this.#admission.allowed(m.id)) }, headers, (text) =>
      this.scrub(text)
    );
  }

  async close() {
    this.#ui.close();
    this.#pricing.close();
    await this.#o.store.close?.();
  }
}

/**
 * The key-safe proxy as a fetch handler. See ProxyHandlerOptions in index.d.ts. The returned
 * function answers every request (never rejects); it also carries stats, options (without the
 * key's value in any summary), listening(port), drain() and close().
 */
export function createProxyHandler(options = {}) {
  const proxy = new KeySafeProxy(options);
  const { log } = proxy.options;
  const handler = async (request, info = {}) => {
    const ctx = { requestId: newRequestId(), model: undefined, route: null, client: proxy.clientIp(request, info) };
    const started = Date.now();
    proxy.stats.requests += 1;
    const headers = new Headers({ 'x-request-id': ctx.requestId }); // an upstream response replaces it with the upstream's id
    let status = 0;
    let logged = false;
    // Called once the response is over (its body relayed, cut or cancelled): spend, then the log line.
    ctx.settle = (outcome, metered) => {
      if (logged) return;
      logged = true;
      const usd = metered?.cost?.usd;
      const recorded = proxy.spend && usd > 0 ? proxy.spend.record(ctx.client, usd).catch((error) => report(error)) : null;
      if (recorded) info.waitUntil?.(recorded);
      log?.(accessEntry(ctx, { status, started, outcome, metered, method: request.method, logPrompts: proxy.options.logPrompts }));
    };
    const report = (bug) =>
      log
        ? log({ time: new Date().toISOString(), requestId: ctx.requestId, error: proxy.scrub(String(bug?.stack ?? bug)) })
        : console.error('llmbase proxy:', bug);
    let response;
    try {
      response = await proxy.handle(request, ctx, headers);
    } catch (error) {
      let failure = error;
      if (!(failure instanceof HttpError)) {
        report(failure);
        failure = new HttpError(500, 'internal_error', 'The proxy hit an unexpected error; see its console.');
      } else if (failure.status !== 404) proxy.stats.refused += 1;
      for (const [name, value] of Object.entries(failure.headers)) headers.set(name, value);
      response = jsonResponse(failure.status === 499 ? 400 : failure.status, failure.toBody(), headers, (text) => proxy.scrub(text));
    }
    status = response.status;
    // A response without a relayed body (errors, JSON, preflights) is over now; a relayed one settles at its end.
    if (!ctx.pending) ctx.settle('done', null);
    return response;
  };
  handler.stats = proxy.stats;
  Object.defineProperty(handler, 'options', { value: proxy.options, enumerable: false }); // for adapters
  handler.spend = proxy.spend;
  handler.listening = (port) => proxy.listening(port);
  handler.drain = () => {
    proxy.draining = true;
  };
  handler.close = () => proxy.close();
  return handler;
}
