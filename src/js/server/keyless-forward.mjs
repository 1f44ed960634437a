// Node upstream plumbing of the local server's keyless front (keyless-front.mjs, `serve --static`): one request out, the response piped back byte for byte as it arrives.
// (The key-safe proxy's upstream I/O is portable fetch code: src/js/proxy/upstream.mjs.)
import http from 'node:http';
import https from 'node:https';
import { pipeline } from 'node:stream';

// Hop-by-hop headers (RFC 9110 §7.6.1) never travel through a proxy.
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'te', 'trailer', 'upgrade', 'host']);

/** Keep-alive agents, so a burst of requests reuses upstream connections (close them with the front). */
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
 * arrived. `body` is a readable stream piped as it comes (or a Buffer/string). `signal` aborts it.
 */
export function requestUpstream(url, { method = 'GET', headers = {}, body, agents, signal }) {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const transport = target.protocol === 'https:' ? https : http;
    const req = transport.request(target, { method, headers, agent: agents?.[target.protocol], signal });
    req.on('response', (upstreamRes) => {
      req.on('error', (error) => upstreamRes.destroy(error));
      resolve(upstreamRes);
    });
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

/**
 * Sends the upstream response on as it arrives: every header but the hop-by-hop ones, flushed at
 * once, then every body chunk as soon as it is read. A client that goes away destroys the upstream
 * response, which closes the upstream connection. Resolves when done.
 */
export function pipeResponse(upstreamRes, res) {
  res.statusCode = upstreamRes.statusCode;
  for (const [name, value] of Object.entries(upstreamRes.headers)) {
    if (!HOP_BY_HOP.has(name) && value !== undefined) res.setHeader(name, value);
  }
  res.flushHeaders();
  res.socket?.setNoDelay(true);
  return new Promise((resolve) => {
    pipeline(upstreamRes, res, () => resolve());
  });
}

/** Request headers with hop-by-hop ones removed (for a pass-through front). */
export function passableRequestHeaders(headers) {
  const out = {};
  for (const [name, value] of Object.entries(headers)) {
    if (!HOP_BY_HOP.has(name)) out[name] = value;
  }
  return out;
}
