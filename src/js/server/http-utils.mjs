// HTTP plumbing for the local server: request ids, CORS, JSON replies, the error envelope and bounded body reading.
import { randomBytes } from 'node:crypto';

/** Request bodies above this size get 413 (the real limit is undocumented; llmbase-api.md open question 15). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

// Past this much discarded body we stop being polite and cut the connection: a 413 client that keeps
// sending gigabytes should not keep the server reading.
const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

// Browsers only let page scripts read response headers listed here (CORS), and the client needs the
// request id, the fallback headers and the retry hints (Decision 5 and 7).
const EXPOSED_HEADERS = [
  'x-request-id',
  'x-llmbase-requested-model',
  'x-llmbase-served-model',
  'x-llmbase-fallback-applied',
  'x-llmbase-fallback-reason',
  'x-llmbase-fallback-chain',
  'retry-after',
  'retry-after-ms',
].join(', ');

const DEFAULT_ALLOWED_HEADERS =
  'Authorization, Content-Type, X-LLMBase-Fallback, X-LLMBase-Test-Fault, X-LLMBase-Test-Attempt-Key';

/** An HTTP failure that the router turns into the `{"error":{message,type,code,param}}` envelope. */
export class HttpError extends Error {
  constructor(status, code, message, { param = null, type, headers } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.param = param;
    this.type = type ?? errorTypeForStatus(status);
    this.headers = headers ?? {};
  }

  toBody() {
    return { error: { message: this.message, type: this.type, code: this.code, param: this.param } };
  }
}

/**
 * Error `type` per status. LLMBase documents `invalid_request_error` even for 401 (llmbase-api.md §2),
 * so only statuses whose type the docs leave open use OpenAI-style names.
 */
export function errorTypeForStatus(status) {
  if (status === 402) return 'billing_error';
  if (status === 403) return 'permission_error';
  if (status === 429) return 'rate_limit_error';
  if (status >= 500) return 'server_error';
  return 'invalid_request_error';
}

export function newRequestId() {
  return `req_${randomBytes(12).toString('hex')}`;
}

export function newCompletionId() {
  // The docs' example id is `chatcmpl-` plus 24 hex characters (llmbase-api.md §4).
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

/** Headers every response carries, errors and static files included. */
export function applyCommonHeaders(res, requestId) {
  res.setHeader('x-request-id', requestId);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
}

/** Answers a CORS preflight. Requested headers are reflected because `*` does not cover Authorization. */
export function answerPreflight(req, res) {
  const requested = req.headers['access-control-request-headers'];
  // Reflect only header-name characters, so a hostile preflight cannot inject into our response.
  const allowed = typeof requested === 'string' && /^[A-Za-z0-9\-_, ]+$/.test(requested)
    ? requested
    : DEFAULT_ALLOWED_HEADERS;
  res.statusCode = 204;
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', allowed);
  res.setHeader('Access-Control-Max-Age', '600');
  res.setHeader('Vary', 'Access-Control-Request-Headers');
  res.end();
}

/** `scrub`: applied to the serialised text (the proxy redacts its key from everything it sends). */
export function sendJson(res, status, value, headers = {}, scrub = null) {
  const text = scrub ? scrub(JSON.stringify(value)) : JSON.stringify(value);
  res.statusCode = status;
  for (const [name, headerValue] of Object.entries(headers)) res.setHeader(name, headerValue);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

export function sendError(res, error, scrub = null) {
  sendJson(res, error.status, error.toBody(), error.headers, scrub);
}

/** 405 with the `Allow` header RFC 9110 asks for. */
export function methodNotAllowed(method, allowed) {
  return new HttpError(405, 'method_not_allowed', `Method ${method} is not allowed here; use ${allowed.join(' or ')}.`, {
    headers: { Allow: [...allowed, 'OPTIONS'].join(', ') },
  });
}

export function requireJsonContentType(req) {
  const contentType = String(req.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (contentType !== 'application/json') {
    throw new HttpError(415, 'unsupported_media_type',
      `Content-Type must be application/json (got ${contentType ? JSON.stringify(contentType) : 'none'}).`);
  }
}

/**
 * Reads the whole request body, at most `limit` bytes. Oversized bodies are drained (up to a cap) before the
 * 413 goes out, so the client reads a clean response instead of a reset while it is still sending.
 */
export function readBody(req, limit) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let settled = false;
    const settle = (fn, value) => {
      if (!settled) {
        settled = true;
        fn(value);
      }
    };
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else chunks.length = 0;
      if (size > DRAIN_LIMIT_BYTES) {
        req.destroy();
        settle(reject, new Error('request body far over the limit; connection closed'));
      }
    });
    req.on('end', () => {
      if (size > limit) {
        settle(reject, new HttpError(413, 'request_too_large',
          `Request body is ${size} bytes; the limit is ${limit} bytes.`));
      } else {
        settle(resolve, Buffer.concat(chunks));
      }
    });
    req.on('error', (error) => settle(reject, error));
    req.on('close', () => settle(reject, new Error('client closed the connection while sending the body')));
  });
}

// Deepest array/object nesting a request body may have: the core's kMaxJsonDepth
// (src/core/json_text.h), so the servers refuse exactly what the client's core would.
export const MAX_JSON_DEPTH = 512;

/**
 * True when no array or object in `text` nests deeper than `maxDepth`. One pass that skips strings,
 * mirroring the core's json_depth_within (src/core/json_text.h). It runs on the raw text before
 * JSON.parse: a 10,000-deep body parses in V8 but then overflows every recursive walk after it.
 */
export function jsonDepthWithin(text, maxDepth = MAX_JSON_DEPTH) {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i += 1) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i += 1; // an escaped character never ends the string
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth += 1;
      if (depth > maxDepth) return false;
    } else if ((c === 0x5d || c === 0x7d) && depth > 0) {
      depth -= 1;
    }
  }
  return true;
}

export function parseJsonBody(buffer) {
  const text = buffer.toString('utf8');
  if (!jsonDepthWithin(text)) {
    throw new HttpError(400, 'json_too_deep',
      `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels; flatten it.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${error.message}`);
  }
}

/**
 * Answers a request whose handler failed, so that no failure leaves a request unanswered: an
 * HttpError with its own status, anything else (a bug) with 500 after `report(error)`. Once the
 * headers are out only cutting the connection tells the client the body is not whole.
 */
export function answerFailure(res, error, { report, message, scrub = null }) {
  if (res.headersSent) return void res.destroy();
  if (!(error instanceof HttpError)) {
    report(error);
    error = new HttpError(500, 'internal_error', message);
  }
  // A client that already went away makes this a no-op; one that is still there gets the answer.
  if (!res.destroyed) sendError(res, error, scrub);
  return undefined;
}

/** Resolves after `ms` (a macrotask turn when 0) or as soon as `signal` aborts; never rejects. */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      if (ms > 0) clearTimeout(timer);
      else clearImmediate(timer);
      resolve();
    };
    const done = () => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    };
    const timer = ms > 0 ? setTimeout(done, ms) : setImmediate(done);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Listens on host:port (0 = a free port) and resolves with the origin, e.g. http://127.0.0.1:40123. */
export async function listenOn(server, port, host) {
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const urlHost = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  return `http://${urlHost}:${address.port}`;
}
