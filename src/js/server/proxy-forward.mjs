// Upstream HTTP plumbing of the proxies: one request out, the response piped back byte for byte as it arrives.
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';

// Only these upstream response headers reach the browser: the body's type and length, the request id
// for support, the retry hints and LLMBase's fallback headers (llmbase-api.md §10). Everything else
// (cookies, upstream CORS, hop-by-hop headers) stays behind.
const PASSED_RESPONSE_HEADER = /^(content-type|content-length|cache-control|retry-after|retry-after-ms|x-request-id|x-accel-buffering|x-llmbase-[a-z-]+)$/i;

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
 */
export function requestUpstream(url, { method = 'GET', headers = {}, body, agents, signal }) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request(target, { method, headers, agent: agents?.[target.protocol], signal });
    req.on('response', resolve);
    req.on('error', reject);
    if (body && typeof body.pipe === 'function') {
      pipeline(body, req, (error) => {
        if (error) req.destroy(error);
      });
    } else {
      req.end(body);
    }
  });
}

/** Copies the passable headers of an upstream response (`filter`: which names; default the proxy's list). */
export function copyResponseHeaders(upstreamRes, res, filter = (name) => PASSED_RESPONSE_HEADER.test(name)) {
  for (const [name, value] of Object.entries(upstreamRes.headers)) {
    if (!HOP_BY_HOP.has(name) && filter(name) && value !== undefined) res.setHeader(name, value);
  }
}

/**
 * Sends the upstream response on as it arrives: headers first (flushed at once, so the browser sees
 * the status before the first token), then every body chunk as soon as it is read. A client that
 * goes away destroys the upstream response, which closes the upstream connection, so the upstream
 * stops generating (and releases its concurrency slot, llmbase-api.md §13). Resolves when done.
 */
export function pipeResponse(upstreamRes, res, { filter } = {}) {
  res.statusCode = upstreamRes.statusCode;
  copyResponseHeaders(upstreamRes, res, filter);
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  return new Promise((resolve) => {
    // An upstream that breaks off mid-body makes pipeline destroy `res` too: the browser then sees a
    // cut stream (an IncompleteStreamError), never a clean end that looks like success.
    pipeline(upstreamRes, res, () => resolve());
  });
}

/** GETs `url` and parses its JSON body (at most `limit` bytes): { status, body } (body null if not JSON). */
export async function fetchJson(url, { headers, agents, signal, limit = 8 * 1024 * 1024 }) {
  const upstreamRes = await requestUpstream(url, { method: 'GET', headers, agents, signal });
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
