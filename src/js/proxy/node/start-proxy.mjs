// The key-safe proxy on Node (`llmbase serve --proxy`, startProxy): a thin http adapter over the fetch handler, plus static files and graceful shutdown.
//
// Every rule of the proxy lives in the fetch handler (../handler.mjs), which Workers,
// edge hosts, Deno and Bun run as it is. This file only turns node:http requests into WHATWG
// Requests and writes the Responses back as they stream (a slow browser slows the upstream read),
// serves the site's static files next to the API, and drains in-flight streams on close.
import http from 'node:http';
import { statSync } from 'node:fs';
import { Readable } from 'node:stream';
import '../../index.mjs'; // registers the Node wasm loader the handler's validation and metering use
import { createProxyHandler, isProxyPath } from '../handler.mjs';
import { newRequestId } from '../http-error.mjs';
import { hostAllowed, hostRefusal } from '../rules.mjs';
import { answerFailure, listenOn } from './http-server.mjs';
import { serveStatic } from './static-files.mjs';

/** How long close() lets in-flight responses (streams) finish before it cuts them. */
export const DEFAULT_SHUTDOWN_TIMEOUT_MS = 10_000;

function fail(message) {
  return new TypeError(`startProxy: ${message}`);
}

function checkDir(dir, name) {
  let isDirectory = false;
  try {
    isDirectory = statSync(dir).isDirectory();
  } catch {
    // reported below
  }
  if (!isDirectory) throw fail(`${name} ${dir} is not a directory`);
  return dir;
}

/**
 * `staticDir` / `staticMounts` as startServer takes them, so one proxy process can serve the site
 * and the API from the same origin (no CORS needed at all). Mounts are matched longest first.
 */
function normalizeStatic({ staticDir, staticMounts } = {}) {
  const dir = staticDir === undefined || staticDir === null ? null : checkDir(staticDir, 'staticDir');
  const mounts = Object.entries(staticMounts ?? {})
    .map(([prefix, mountDir]) => {
      if (!prefix.startsWith('/') || !prefix.endsWith('/')) throw fail(`staticMounts prefix ${prefix} must start and end with "/"`);
      if (prefix === '/v1/') throw fail('staticMounts cannot shadow /v1/');
      return { prefix, dir: checkDir(mountDir, 'staticMounts') };
    })
    .sort((a, b) => b.prefix.length - a.prefix.length);
  return { dir, mounts };
}

/** A node:http request as a WHATWG Request (the body streamed, not read ahead); `signal` ends with the response. */
function toRequest(req, signal) {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
    } catch {
      // A header value Headers refuses (a stray control character) is left out.
    }
  }
  const path = req.url.startsWith('/') ? req.url : `/${req.url}`;
  const withBody = req.method !== 'GET' && req.method !== 'HEAD';
  return new Request(`http://proxy.invalid${path}`, {
    method: req.method,
    headers,
    signal,
    body: withBody ? Readable.toWeb(req) : undefined,
    duplex: 'half',
  });
}

/** Writes `response` to `res` as it streams; a browser that leaves cancels the body (and so the upstream). */
async function writeResponse(response, res) {
  res.statusCode = response.status;
  response.headers.forEach((value, name) => res.setHeader(name, value));
  if (!response.body) return void res.end();
  res.flushHeaders(); // the browser sees the status before the first token
  res.socket?.setNoDelay(true);
  const reader = response.body.getReader();
  res.on('close', () => {
    if (!res.writableFinished) reader.cancel().catch(() => {});
  });
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      if (res.destroyed) return undefined;
      if (!res.write(value))
        await new Promise((resolve) => {
          res.once('drain', resolve);
          res.once('close', resolve);
        });
    }
    res.end();
  } catch {
    // The upstream broke off or went silent: a cut body, never a clean end that looks like success.
    res.destroy();
  }
  return undefined;
}

/**
 * Starts the key-safe proxy. See StartProxyOptions in index.d.ts. Needs `upstream`; the key comes
 * from `apiKey` or LLMBASE_API_KEY. Resolves once listening: { url, origin, host, port, close, stats, server, handler }.
 */
export async function startProxy(options = {}) {
  const handler = createProxyHandler(options);
  const statics = normalizeStatic(options);
  const shutdownTimeout = options.shutdownTimeout ?? DEFAULT_SHUTDOWN_TIMEOUT_MS;
  if (!Number.isInteger(shutdownTimeout) || shutdownTimeout < 0)
    throw fail(`shutdownTimeout must be a whole number of ms ≥ 0, got ${shutdownTimeout}`);
  const { allowedHosts, log } = handler.options;
  const sockets = new Set();
  const active = new Set(); // responses not yet finished: close() waits for these
  let draining = false;
  let drained = null;
  const server = http.createServer(async (req, res) => {
    active.add(res);
    res.on('close', () => {
      active.delete(res);
      if (draining && active.size === 0) drained?.();
    });
    if (draining) res.setHeader('connection', 'close');
    const pathname = req.url.split('?')[0];
    try {
      if (!isProxyPath(pathname) && (statics.dir || statics.mounts.length)) {
        // Static files pass the same Host check as the API (DNS rebinding), then the file rules.
        if (!hostAllowed(req.headers.host, allowedHosts)) throw hostRefusal();
        const mount = statics.mounts.find((m) => pathname.startsWith(m.prefix));
        if (mount) return void (await serveStatic(req, res, mount.dir, pathname.slice(mount.prefix.length - 1)));
        if (statics.dir) return void (await serveStatic(req, res, statics.dir, pathname));
      }
      const aborted = new AbortController();
      res.on('close', () => {
        if (!res.writableFinished) aborted.abort();
      });
      const response = await handler(toRequest(req, aborted.signal), { clientIp: req.socket.remoteAddress });
      await writeResponse(response, res);
    } catch (error) {
      res.setHeader('x-request-id', newRequestId());
      answerFailure(res, error, {
        message: 'The proxy hit an unexpected error; see its console.',
        report: (bug) => (log ? log({ error: bug }) : console.error('llmbase proxy:', bug)),
      });
    }
    return undefined;
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const origin = await listenOn(server, handler.options.port, handler.options.host);
  const address = server.address();
  handler.listening(address.port);
  let closed;
  // Graceful: no new connections, /healthz says draining, idle keep-alive connections close, and
  // streams in flight may finish for up to `deadlineMs`; then whatever is left is cut.
  const close = ({ deadlineMs = shutdownTimeout } = {}) => {
    closed ??= new Promise((resolve) => {
      draining = true;
      handler.drain();
      const finish = () => {
        clearTimeout(timer);
        for (const socket of sockets) socket.destroy();
        handler.close().finally(resolve);
      };
      const timer = setTimeout(finish, deadlineMs);
      drained = () => server.close(finish);
      server.close(); // stops accepting; the callback above runs once every connection is gone
      server.closeIdleConnections?.();
      if (active.size === 0) drained();
    });
    return closed;
  };
  const {
    upstream,
    allowModels,
    maxTokensCap,
    rateLimit,
    origins,
    allowParams,
    upstreamHeadersTimeout,
    upstreamIdleTimeout,
    store,
    spendLimit,
  } = handler.options;
  return {
    url: `${origin}/v1`,
    origin,
    host: address.address,
    port: address.port,
    close,
    server,
    handler,
    stats: handler.stats,
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
      store: store.name ?? 'custom',
      spendLimit,
      shutdownTimeout,
    },
  };
}
