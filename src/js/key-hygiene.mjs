// Keeps the request's credentials out of the response headers the client hands back (error.headers, error.requestId, response.headers).
//
// The core redacts every string field of an error (message, code, type, param: redact_error in
// src/core/error.cpp), but the response headers never pass through it: the fetch Response goes
// to the caller as it came. A server that echoes the key in a header (x-request-id: req_<key>)
// would then put it in `error.headers` and `error.requestId`. The client's fetch is wrapped so
// that such a response reaches the transport with those values redacted.

// The credential headers of the core's is_secret_header (src/core/error.cpp), and its rule for
// "Bearer X": X is a secret, and so is the whole value.
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key', 'api-key', 'cookie']);

function headerEntries(headers) {
  if (!headers) return [];
  if (Array.isArray(headers)) return headers;
  if (typeof headers.forEach === 'function' && typeof headers.get === 'function') {
    const out = [];
    headers.forEach((value, name) => out.push([name, value]));
    return out;
  }
  return Object.entries(headers);
}

/** The secrets a request carries in its headers, as the core's header_secrets finds them. */
export function requestSecrets(headers) {
  const secrets = [];
  for (const [name, value] of headerEntries(headers)) {
    if (typeof value !== 'string' || value === '' || !CREDENTIAL_HEADERS.has(String(name).toLowerCase())) continue;
    const space = value.indexOf(' ');
    if (space !== -1) {
      const rest = value.slice(space + 1).replace(/^ +/, '');
      if (rest) secrets.push(rest);
    }
    secrets.push(value);
  }
  return secrets;
}

/** `text` with every secret redacted; the core's form, in ASCII ("..."), since header values are Latin-1. */
export function redactSecrets(text, secrets) {
  let out = text;
  for (const secret of secrets) out = out.split(secret).join(`${secret.slice(0, 8)}...[redacted]`);
  return out;
}

/**
 * `fetchFn` (or the global fetch) wrapped: a response with a secret of the request in a header
 * value is handed on as a copy with those values redacted (same status and body stream); any other
 * response is handed on untouched.
 */
export function scrubbingFetch(fetchFn) {
  return async function scrubbedFetch(url, init) {
    const response = await (fetchFn ? fetchFn(url, init) : fetch(url, init));
    const secrets = requestSecrets(init && init.headers);
    if (!secrets.length || !response || !response.headers) return response;
    let echoed = false;
    const headers = new Headers();
    response.headers.forEach((value, name) => {
      const clean = redactSecrets(value, secrets);
      if (clean !== value) echoed = true;
      headers.append(name, clean);
    });
    if (!echoed) return response;
    const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    for (const name of ['url', 'redirected', 'type']) Object.defineProperty(copy, name, { value: response[name] });
    return copy;
  };
}
