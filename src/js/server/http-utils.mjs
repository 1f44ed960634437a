// HTTP plumbing for the local server: request ids, CORS, JSON replies, the error envelope and bounded body reading.
import { randomBytes } from 'node:crypto';
import { EXPOSE_HEADERS_VALUE } from '../api-headers.mjs';
import { DRAIN_LIMIT_BYTES, HttpError, parseJsonText, requireJsonType } from '../proxy/http-error.mjs';

export {
  DEFAULT_MAX_BODY_BYTES,
  errorTypeForStatus,
  HttpError,
  jsonDepthWithin,
  MAX_JSON_DEPTH,
  methodNotAllowed,
  newRequestId,
} from '../proxy/http-error.mjs';
// The JSON replies and the listen step are the proxy's too; the proxy owns them (production code).
export { answerFailure, listenOn, sendError, sendJson } from '../proxy/node/http-server.mjs';

const DEFAULT_ALLOWED_HEADERS = 'Authorization, Content-Type, X-LLMBase-Fallback, X-LLMBase-Test-Fault, X-LLMBase-Test-Attempt-Key';

export function newCompletionId() {
  // The docs' example id is `chatcmpl-` plus 24 hex characters (llmbase-api.md §4).
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

/** Headers every response carries, errors and static files included. */
export function applyCommonHeaders(res, requestId) {
  res.setHeader('x-request-id', requestId);
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSE_HEADERS_VALUE); // the list the proxy exposes too
}

/** Answers a CORS preflight. Requested headers are reflected because `*` does not cover Authorization. */
export function answerPreflight(req, res) {
  const requested = req.headers['access-control-request-headers'];
  // Reflect only header-name characters, so a hostile preflight cannot inject into our response.
  const allowed = typeof requested === 'string' && /^[A-Za-z0-9\-_, ]+$/.test(requested) ? requested : DEFAULT_ALLOWED_HEADERS;
  res.statusCode = 204;
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, HEAD, OPTIONS');
  res.setHeader('Access-Control-Allow-Headers', allowed);
  res.setHeader('Access-Control-Max-Age', '600');
  res.setHeader('Vary', 'Access-Control-Request-Headers');
  res.end();
}

/** 415 unless the request says its body is JSON: the proxy's rule too (http-error.mjs). */
export function requireJsonContentType(req) {
  requireJsonType(req.headers['content-type']);
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
        settle(reject, new HttpError(413, 'request_too_large', `Request body is ${size} bytes; the limit is ${limit} bytes.`));
      } else {
        settle(resolve, Buffer.concat(chunks));
      }
    });
    req.on('error', (error) => settle(reject, error));
    req.on('close', () => settle(reject, new Error('client closed the connection while sending the body')));
  });
}

export function parseJsonBody(buffer) {
  return parseJsonText(buffer.toString('utf8'));
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
