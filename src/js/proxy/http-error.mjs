// Portable HTTP error envelope and request-body rules shared by the local server and the fetch-handler proxy (no Node built-ins).

/** Request bodies above this size get 413 (LLMBase documents no request size limit). */
export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

// Past this much discarded body the servers stop reading: a client that keeps sending gigabytes
// after its 413 should not keep them busy.
export const DRAIN_LIMIT_BYTES = 64 * 1024 * 1024;

/** An HTTP failure that becomes the `{"error":{message,type,code,param}}` envelope. */
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

/** `req_` + 24 hex characters, from the platform's WebCrypto (Node 20, Workers, Deno, Bun). */
export function newRequestId() {
  const bytes = globalThis.crypto.getRandomValues(new Uint8Array(12));
  return `req_${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
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
      if (c === 0x5c)
        i += 1; // an escaped character never ends the string
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

/**
 * Throws 415 unless `contentType` (a Content-Type header's value, or null when absent) is
 * application/json: compared without its parameters (charset) and case-insensitively.
 */
export function requireJsonType(contentType) {
  const type = String(contentType ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
  if (type !== 'application/json') {
    throw new HttpError(
      415,
      'unsupported_media_type',
      `Content-Type must be application/json (got ${type ? JSON.stringify(type) : 'none'}).`
    );
  }
}

/** A request body as JSON: depth checked on the raw text first, then parsed; 400s name the fix. */
export function parseJsonText(text) {
  if (!jsonDepthWithin(text)) {
    throw new HttpError(400, 'json_too_deep', `The request body nests arrays or objects deeper than ${MAX_JSON_DEPTH} levels; flatten it.`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new HttpError(400, 'invalid_json', `The request body is not valid JSON: ${error.message}`);
  }
}

/** 405 with the `Allow` header RFC 9110 asks for. */
export function methodNotAllowed(method, allowed) {
  return new HttpError(405, 'method_not_allowed', `Method ${method} is not allowed here; use ${allowed.join(' or ')}.`, {
    headers: { Allow: [...allowed, 'OPTIONS'].join(', ') },
  });
}
