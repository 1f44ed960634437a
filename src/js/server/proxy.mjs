// The key-safe proxy (`llmbase serve --proxy`): a page's widget talks to it; it adds the API key server side and forwards three endpoints.
//
// What a browser may do through it, and nothing more:
//   POST /v1/chat/completions   after the model allow-list, the max_tokens cap and the shared
//                               validation (the wasm core's validateRequest against the upstream's
//                               metadata); streamed back byte for byte as it arrives
//   GET  /v1/models             the upstream list, filtered by the allow-list
//   GET  /v1/model-metadata     the upstream metadata (cached), filtered by the allow-list
//   POST /ui/chat               the AI SDK's useChat, through the same gates (proxy-ui-stream.mjs)
// Every other /v1 path is a 404, so the key can never reach /v1/balance or anything added later.
// An incoming Authorization header is dropped; the upstream gets `Bearer $LLMBASE_API_KEY`. The key
// is never written into a response or a log line. Requests are counted per client IP, and browser
// origins are checked against allowedOrigins (CORS) before anything reaches the upstream.
import http from 'node:http';
import { validateRequest } from '../index.mjs';
import {
  answerFailure, HttpError, methodNotAllowed, newRequestId, parseJsonBody, readBody, requireJsonContentType, sendJson, listenOn,
} from './http-utils.mjs';
import { serveStatic } from './static-files.mjs';
import { normalizeProxyOptions, normalizeStatic } from './proxy-options.mjs';
import { RateLimiter } from './proxy-rate-limit.mjs';
import { createAgents, fetchJson, pipeResponse, requestUpstream, unreachable } from './proxy-forward.mjs';
import { forwardedBody, hostAllowed, scrubText, selfOrigins } from './proxy-rules.mjs';
import { CorsPolicy } from './proxy-cors.mjs';
import { UI_CHAT_PATH, UiChatRoute } from './proxy-ui-stream.mjs'; // the useChat route

export {
  DEFAULT_PROXY_MAX_TOKENS_CAP, DEFAULT_PROXY_RATE_LIMIT, DEFAULT_UPSTREAM_HEADERS_TIMEOUT_MS, DEFAULT_UPSTREAM_IDLE_TIMEOUT_MS,
} from './proxy-options.mjs';

const ENDPOINTS = {
  '/v1/chat/completions': 'POST',
  '/v1/models': 'GET',
  '/v1/model-metadata': 'GET',
  [UI_CHAT_PATH]: 'POST', // the AI SDK's useChat, answered in the UI message stream protocol
};
const MODELS_QUERY = ['metadata', 'filter']; // the documented /v1/models query parameters (llmbase-api.md §11)

/** A 400 that carries the validation findings next to the usual error envelope. */
class RefusedByValidation extends HttpError {
  constructor(findings) {
    const errors = findings.filter((f) => f.severity === 'error');
    const shown = errors.slice(0, 3).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message)).join('; ');
    super(400, errors[0].code, `Request refused by the proxy before forwarding: ${shown}`, { param: errors[0].path || null });
    this.findings = findings;
  }

  toBody() {
    const body = super.toBody();
    body.error.findings = this.findings;
    return body;
  }
}

/** The upstream metadata list, fetched with the key and cached; concurrent callers share one fetch. */
class MetadataCache {
  #load;
  #ttl;
  #value = null;
  #at = 0;
  #pending = null;
  lastError = null;

  constructor(load, ttl) {
    this.#load = load;
    this.#ttl = ttl;
  }

  /** The list, or null when it cannot be had (the last good list is kept through a failed refresh). */
  get() {
    if (this.#value && Date.now() - this.#at < this.#ttl) return Promise.resolve(this.#value);
    this.#pending ??= this.#load()
      .then((value) => {
        this.#value = value;
        this.#at = Date.now();
        this.lastError = null;
        return value;
      })
      .catch((error) => {
        this.lastError = error;
        return this.#value;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }
}

// Decision 1: the list may sit under `data`, under `models`, or be a top-level array.
function metadataList(body) {
  const list = Array.isArray(body) ? body : body?.data ?? body?.models;
  return Array.isArray(list) ? list.filter((entry) => entry && typeof entry.id === 'string') : null;
}

// Behind the operator's own reverse proxy (trustProxy), the client is the last X-Forwarded-For
// entry: the one that proxy appended. Earlier entries come from the client and could be made up.
function clientIp(req, trustProxy) {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const last = typeof forwarded === 'string' ? forwarded.split(',').map((part) => part.trim()).filter(Boolean).pop() : undefined;
    if (last) return last;
  }
  return String(req.socket.remoteAddress ?? 'unknown').replace(/^::ffff:/, '');
}

function splitUrl(url) {
  const queryAt = url.indexOf('?');
  return {
    pathname: queryAt === -1 ? url : url.slice(0, queryAt),
    query: new URLSearchParams(queryAt === -1 ? '' : url.slice(queryAt + 1)),
  };
}

class KeySafeProxy {
  #o;
  #agents = createAgents();
  #limiter;
  #cors;
  #metadata;
  #static;
  #selfOrigins = [];
  #ui;

  constructor(options) {
    this.#o = normalizeProxyOptions(options);
    this.#static = normalizeStatic(options);
    this.#limiter = this.#o.rateLimit ? new RateLimiter(this.#o.rateLimit) : null;
    this.#cors = new CorsPolicy(this.#o.origins, () => this.#selfOrigins);
    this.#metadata = new MetadataCache(() => this.#loadMetadata(), this.#o.metadataTTL);
    this.stats = { requests: 0, forwarded: 0, refused: 0 };
    this.#ui = new UiChatRoute(this.#o, { admit: (body, ctx) => this.#admit(body, ctx), stats: this.stats });
  }

  get options() {
    return this.#o;
  }

  /** Called once listening: the proxy's own page origins follow from its names and port. */
  listening(port) {
    this.#selfOrigins = selfOrigins(this.#o.allowedHosts, port);
  }

  /** `text` with the key redacted: every byte the proxy sends passes through this or KeyScrubber. */
  scrub(text) {
    return scrubText(text, this.#o.apiKey);
  }

  #timeouts() {
    return { headersTimeoutMs: this.#o.upstreamHeadersTimeout, idleTimeoutMs: this.#o.upstreamIdleTimeout };
  }

  // Upstream request headers: the key is added here and only here.
  #upstreamHeaders(req, extra = {}) {
    // identity: the body is scrubbed of the key as it passes, which needs it uncompressed.
    const headers = { authorization: `Bearer ${this.#o.apiKey}`, 'user-agent': 'llmbase-wasm-proxy', 'accept-encoding': 'identity', ...extra };
    headers.accept = typeof req.headers.accept === 'string' ? req.headers.accept : 'application/json';
    const fallback = req.headers['x-llmbase-fallback'];
    if (typeof fallback === 'string') headers['x-llmbase-fallback'] = fallback;
    return headers;
  }

  async #loadMetadata() {
    const headers = { authorization: `Bearer ${this.#o.apiKey}`, accept: 'application/json', 'user-agent': 'llmbase-wasm-proxy', 'accept-encoding': 'identity' };
    let answer = await fetchJson(`${this.#o.upstream}/model-metadata`, { headers, agents: this.#agents, ...this.#timeouts() });
    // /v1/model-metadata is not in the public docs: fall back to the documented query (Decision 1).
    if (answer.status === 404) answer = await fetchJson(`${this.#o.upstream}/models?metadata=true`, { headers, agents: this.#agents, ...this.#timeouts() });
    const list = answer.status >= 200 && answer.status < 300 ? metadataList(answer.body) : null;
    if (!list) throw new Error(`the upstream answered the metadata request with ${answer.status}`);
    return list;
  }

  #allowed(id) {
    return !this.#o.allowModels || this.#o.allowModels.has(id);
  }

  async handle(req, res, ctx) {
    // DNS rebinding: a page at attacker.example resolved to this address sends Host: attacker.example.
    if (!hostAllowed(req.headers.host, this.#o.allowedHosts)) {
      throw new HttpError(403, 'host_not_allowed',
        'This proxy does not answer to that host name. Its operator can add a public name with --allowed-hosts proxy.example.com.',
        { type: 'permission_error' });
    }
    const { pathname, query } = splitUrl(req.url);
    const isApi = pathname === '/v1' || pathname.startsWith('/v1/') || this.#ui.matches(pathname);
    if (!isApi) {
      const mount = this.#static.mounts.find((m) => pathname.startsWith(m.prefix));
      if (mount) return serveStatic(req, res, mount.dir, pathname.slice(mount.prefix.length - 1));
      if (this.#static.dir) return serveStatic(req, res, this.#static.dir, pathname);
      throw new HttpError(404, 'not_found', `No route for ${req.method} ${pathname}. The API lives under /v1.`);
    }
    // Before anything touches the upstream: the origin, then the endpoint, then the client's rate.
    this.#cors.apply(req, res);
    if (req.method === 'OPTIONS') return this.#cors.preflight(req, res);
    const method = ENDPOINTS[pathname];
    if (!method) {
      throw new HttpError(404, 'not_found',
        `This proxy forwards only ${Object.keys(ENDPOINTS).map((p) => `${ENDPOINTS[p]} ${p}`).join(', ')}; ${req.method} ${pathname} is not one of them.`);
    }
    if (req.method !== method) throw methodNotAllowed(req.method, [method]);
    if (this.#limiter) {
      const waitMs = this.#limiter.take(clientIp(req, this.#o.trustProxy));
      if (waitMs > 0) {
        const { requests, windowMs } = this.#limiter.limit;
        throw new HttpError(429, 'rate_limit_exceeded',
          `Too many requests from your address: this proxy allows ${requests} per ${windowMs / 1000} s. Retry in ${Math.ceil(waitMs / 1000)} s.`,
          { headers: { 'retry-after': String(Math.ceil(waitMs / 1000)), 'retry-after-ms': String(waitMs) } });
      }
    }
    if (this.#ui.matches(pathname)) return this.#ui.handle(req, res, ctx);
    if (pathname === '/v1/chat/completions') return this.#chat(req, res, ctx);
    if (pathname === '/v1/models') return this.#models(req, res, query);
    return this.#modelMetadata(res);
  }

  // The gates of a chat body, shared by /v1/chat/completions and the useChat route: the parameter
  // allow-list (extra_body merged in first), the model allow-list, the max_tokens cap and the
  // shared validation. Returns the body as it will be sent; throws the refusal.
  async #admit(parsed, ctx) {
    // The allow-list and the cap below judge the body as it will be sent: extra_body merged in.
    const body = forwardedBody(parsed, this.#o.allowParams);
    if (typeof body.model === 'string') ctx.model = body.model;
    if (typeof body.model === 'string' && !this.#allowed(body.model)) {
      throw new HttpError(403, 'model_not_allowed',
        `Model ${JSON.stringify(body.model)} is not enabled on this proxy. Allowed: ${[...this.#o.allowModels].join(', ')}.`, { param: 'model' });
    }
    const list = await this.#metadata.get();
    // Only the allowed models: the validator's "pick another model" suggestions then name only those.
    const allowed = list ? list.filter((model) => this.#allowed(model.id)) : null;
    this.#capMaxTokens(body, allowed?.find((model) => model.id === body.model));
    // Without metadata only the shape rules apply; an unknown model is a warning (Decision 2).
    const { findings } = await validateRequest(body, allowed);
    if (findings.some((f) => f.severity === 'error')) throw new RefusedByValidation(findings);
    return body;
  }

  async #chat(req, res, ctx) {
    requireJsonContentType(req);
    const parsed = parseJsonBody(await readBody(req, this.#o.maxBodyBytes));
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) {
      throw new HttpError(400, 'invalid_request', 'The request body must be a JSON object.');
    }
    const body = await this.#admit(parsed, ctx);
    const text = JSON.stringify(body);
    const upstream = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) upstream.abort();
    });
    let upstreamRes;
    try {
      upstreamRes = await requestUpstream(`${this.#o.upstream}/chat/completions`, {
        method: 'POST',
        headers: this.#upstreamHeaders(req, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) }),
        body: text,
        agents: this.#agents,
        signal: upstream.signal,
        ...this.#timeouts(),
      });
    } catch (error) {
      if (upstream.signal.aborted) return undefined; // the browser left first: nobody to answer
      throw unreachable(error);
    }
    this.stats.forwarded += 1;
    return pipeResponse(upstreamRes, res, { secret: this.#o.apiKey });
  }

  // Every forwarded request carries max_tokens ≤ the cap: absent → the cap is added (or the model's
  // smaller max_output_length), above → refused (a silent cut would truncate the reply unexplained).
  #capMaxTokens(body, model) {
    const cap = this.#o.maxTokensCap;
    let present = false;
    for (const field of ['max_tokens', 'max_completion_tokens']) {
      if (body[field] === undefined || body[field] === null) continue;
      present = true;
      if (typeof body[field] === 'number' && body[field] > cap) {
        throw new HttpError(400, 'max_tokens_over_cap',
          `${field} ${body[field]} is above this proxy's cap of ${cap}; send ${field} ≤ ${cap}.`, { param: field });
      }
    }
    const modelMax = Number(model?.max_output_length);
    if (!present) body.max_tokens = Number.isInteger(modelMax) && modelMax > 0 ? Math.min(cap, modelMax) : cap;
  }

  async #models(req, res, query) {
    const forwarded = new URLSearchParams();
    for (const name of MODELS_QUERY) if (query.has(name)) forwarded.set(name, query.get(name));
    const suffix = forwarded.toString() ? `?${forwarded}` : '';
    let answer;
    try {
      answer = await fetchJson(`${this.#o.upstream}/models${suffix}`, { headers: this.#upstreamHeaders(req), agents: this.#agents, ...this.#timeouts() });
    } catch (error) {
      throw unreachable(error);
    }
    if (answer.body === null) throw new HttpError(502, 'invalid_upstream_response', `The upstream answered /models with ${answer.status} and no JSON.`);
    this.stats.forwarded += 1;
    let body = answer.body;
    const list = metadataList(body);
    if (answer.status < 300 && list && this.#o.allowModels) body = { object: 'list', data: list.filter((m) => this.#allowed(m.id)) };
    return sendJson(res, answer.status, body, {}, (text) => this.scrub(text));
  }

  async #modelMetadata(res) {
    const list = await this.#metadata.get();
    if (!list) {
      const reason = this.#metadata.lastError?.code ?? this.#metadata.lastError?.message ?? 'unknown error';
      throw new HttpError(502, 'upstream_unavailable', `The model metadata could not be fetched from the upstream (${reason}).`);
    }
    this.stats.forwarded += 1;
    return sendJson(res, 200, { object: 'list', data: list.filter((m) => this.#allowed(m.id)) }, {}, (text) => this.scrub(text));
  }

  close() {
    this.#ui.close();
    this.#limiter?.close();
    this.#agents.destroy();
  }
}

async function handle(proxy, req, res) {
  const ctx = { requestId: newRequestId(), model: undefined };
  const started = Date.now();
  proxy.stats.requests += 1;
  res.setHeader('x-request-id', ctx.requestId); // an upstream response replaces it with the upstream's id
  const log = proxy.options.log;
  if (log) {
    // Method, path and status only: never headers (the browser's or the key) and never the query.
    res.on('close', () => log({
      requestId: ctx.requestId, method: req.method, url: splitUrl(req.url).pathname, status: res.statusCode,
      model: ctx.model, durationMs: Date.now() - started, completed: res.writableFinished,
    }));
  }
  try {
    await proxy.handle(req, res, ctx);
  } catch (error) {
    if (error instanceof HttpError && error.status !== 404) proxy.stats.refused += 1;
    answerFailure(res, error, {
      scrub: (text) => proxy.scrub(text),
      message: 'The proxy hit an unexpected error; see its console.',
      report: (bug) => (log ? log({ requestId: ctx.requestId, error: bug }) : console.error('llmbase proxy:', bug)),
    });
  }
  return undefined;
}

/**
 * Starts the key-safe proxy. See StartProxyOptions in index.d.ts. Needs `upstream`; the key comes
 * from `apiKey` or LLMBASE_API_KEY. Resolves once listening: { url, origin, host, port, close, stats, server }.
 */
export async function startProxy(options = {}) {
  const proxy = new KeySafeProxy(options);
  const sockets = new Set();
  const server = http.createServer((req, res) => {
    handle(proxy, req, res).catch((error) => console.error('llmbase proxy:', error));
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const origin = await listenOn(server, proxy.options.port, proxy.options.host);
  const address = server.address();
  proxy.listening(address.port);
  let closed;
  const close = () => {
    closed ??= new Promise((resolve) => {
      server.close(() => resolve());
      for (const socket of sockets) socket.destroy();
      proxy.close();
    });
    return closed;
  };
  const { upstream, allowModels, maxTokensCap, rateLimit, origins, allowedHosts, allowParams, upstreamHeadersTimeout, upstreamIdleTimeout } = proxy.options;
  return {
    url: `${origin}/v1`,
    origin,
    host: address.address,
    port: address.port,
    close,
    server,
    stats: proxy.stats,
    // What the proxy enforces, for a startup summary (the key is deliberately not in here).
    settings: {
      upstream,
      allowModels: allowModels ? [...allowModels] : null,
      maxTokensCap,
      rateLimit,
      allowedOrigins: origins.any ? '*' : origins.list,
      allowedHosts: allowedHosts.any ? '*' : allowedHosts.names,
      allowParams,
      upstreamHeadersTimeout,
      upstreamIdleTimeout,
    },
  };
}
