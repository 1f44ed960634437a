// Upstream HTTP plumbing of the proxies: one request out, the response piped back byte for byte as it arrives.
import http from 'node:http';
import https from 'node:https';
import { pipeline, Transform } from 'node:stream';
import { HttpError } from './http-utils.mjs';
import { FORWARDED_LLMBASE_HEADERS, KeyScrubber, scrubText } from './proxy-rules.mjs';

// Only these upstream response headers reach the browser: the body's type and length, the request id
// for support, the retry hints and LLMBase's fallback headers (llmbase-api.md §10). Everything else
// (cookies, upstream CORS, hop-by-hop headers) stays behind.
// The x-llmbase-* ones by exact name (proxy-rules.mjs), so a new upstream header is not passed by accident.
const PASSED_RESPONSE_HEADERS = new Set([
  'content-type', 'content-length', 'cache-control', 'retry-after', 'retry-after-ms', 'x-request-id', 'x-accel-buffering',
  ...FORWARDED_LLMBASE_HEADERS,
]);

/** An upstream that did not answer in time: the proxies answer it with 504 (`code` says which limit). */
export class UpstreamTimeout extends Error {
  constructor(code, ms) {
    super(code === 'upstream_headers_timeout'
      ? `the upstream sent no response headers within ${ms} ms`
      : `the upstream sent nothing for ${ms} ms`);
    this.code = code;
  }
}

/** A failed upstream request as the proxies' answer: 504 for a timeout, else 502 with the error code only. */
export function unreachable(error) {
  if (error instanceof UpstreamTimeout) {
    return new HttpError(504, error.code, `The upstream API did not answer in time (${error.message}). Try again in a moment.`);
  }
  // The code only (ECONNREFUSED, ENOTFOUND…): a message could carry more of the upstream setup than needed.
  return new HttpError(502, 'upstream_unreachable',
    `The upstream API could not be reached (${error.code ?? 'connection error'}). Try again in a moment.`);
}

// Hop-by-hop headers (RFC 9110 §7.6.1) never travel through a proxy.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/** Keep-alive agents, so a burst of chats reuses upstream connections (close them with the proxy). */
export function createAgents() {
  return {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true }),
    destroy() {
      this['http:'].destroy();
      this['https:'].destroy();
    },
  };
}

/**
 * Starts one upstream request and resolves with its response once the status line and headers have
 * arrived. `body` is a Buffer/string, or a readable stream piped as it comes. `signal` aborts it.
 * `headersTimeoutMs`: longest wait for the response headers; `idleTimeoutMs`: longest silence of
 * the connection at any point (before the headers and between body chunks). Either ends the
 * request with an UpstreamTimeout (before the headers: a rejection; after: the response errors).
 */
export function requestUpstream(url, { method = 'GET', headers = {}, body, agents, signal, headersTimeoutMs = 0, idleTimeoutMs = 0 }) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request(target, { method, headers, agent: agents?.[target.protocol], signal });
    const headersTimer = headersTimeoutMs > 0
      ? setTimeout(() => req.destroy(new UpstreamTimeout('upstream_headers_timeout', headersTimeoutMs)), headersTimeoutMs)
      : null;
    if (idleTimeoutMs > 0) {
      req.setTimeout(idleTimeoutMs, () => req.destroy(new UpstreamTimeout('upstream_idle_timeout', idleTimeoutMs)));
    }
    req.on('response', (upstreamRes) => {
      clearTimeout(headersTimer);
      // The response errors too (req.destroy after the headers destroys the response with the error).
      req.on('error', (error) => upstreamRes.destroy(error));
      resolve(upstreamRes);
    });
    req.on('error', (error) => {
      clearTimeout(headersTimer);
      reject(error);
    });
    req.on('close', () => clearTimeout(headersTimer));
    if (body && typeof body.pipe === 'function') {
      pipeline(body, req, (error) => {
        if (error) req.destroy(error);
      });
    } else {
      req.end(body);
    }
  });
}

/**
 * Copies the passable headers of an upstream response (`filter`: which names; default the proxy's
 * list). `secret`: redacted from every value (an upstream may echo the key in a header).
 */
export function copyResponseHeaders(upstreamRes, res, filter = (name) => PASSED_RESPONSE_HEADERS.has(name), secret = null) {
  for (const [name, value] of Object.entries(upstreamRes.headers)) {
    if (HOP_BY_HOP.has(name) || !filter(name) || value === undefined) continue;
    if (!secret) res.setHeader(name, value);
    else res.setHeader(name, Array.isArray(value) ? value.map((v) => scrubText(v, secret, true)) : scrubText(value, secret, true));
  }
}

function scrubbing(secret) {
  const scrubber = new KeyScrubber(secret);
  return new Transform({
    transform(chunk, _encoding, done) {
      done(null, scrubber.push(chunk));
    },
    flush(done) {
      done(null, scrubber.flush());
    },
  });
}

/**
 * Sends the upstream response on as it arrives: headers first (flushed at once, so the browser sees
 * the status before the first token), then every body chunk as soon as it is read. A client that
 * goes away destroys the upstream response, which closes the upstream connection, so the upstream
 * stops generating (and releases its concurrency slot, llmbase-api.md §13). Resolves when done.
 * `secret`: scrubbed from the headers and the body as it streams (the length then changes, so
 * Content-Length is dropped and the body goes chunked).
 */
export function pipeResponse(upstreamRes, res, { filter, secret = null } = {}) {
  res.statusCode = upstreamRes.statusCode;
  copyResponseHeaders(upstreamRes, res, filter, secret);
  if (secret) res.removeHeader('content-length');
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  return new Promise((resolve) => {
    // An upstream that breaks off mid-body (or goes silent past the idle timeout) makes pipeline
    // destroy `res` too: the browser then sees a cut stream (an IncompleteStreamError), never a
    // clean end that looks like success.
    const stages = secret ? [upstreamRes, scrubbing(secret), res] : [upstreamRes, res];
    pipeline(...stages, () => resolve());
  });
}

/** GETs `url` and parses its JSON body (at most `limit` bytes): { status, body } (body null if not JSON). */
export async function fetchJson(url, { headers, agents, signal, limit = 8 * 1024 * 1024, headersTimeoutMs, idleTimeoutMs }) {
  const upstreamRes = await requestUpstream(url, { method: 'GET', headers, agents, signal, headersTimeoutMs, idleTimeoutMs });
  const chunks = [];
  let size = 0;
  for await (const chunk of upstreamRes) {
    size += chunk.length;
    if (size > limit) {
      upstreamRes.destroy();
      throw new Error(`the upstream response from ${new URL(url).pathname} is larger than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  let body = null;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    // Not JSON: the caller decides from the status what that means.
  }
  return { status: upstreamRes.statusCode, headers: upstreamRes.headers, body };
}

/** Request headers with hop-by-hop ones removed (for a pass-through front). */
export function passableRequestHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
