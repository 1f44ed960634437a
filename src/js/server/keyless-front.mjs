// Keyless front of `llmbase serve --static`: the demo page's widget talks to the local server with no key in the page.
//
// The local server wants `Authorization: Bearer llmbase_…` on chat requests, as LLMBase does. A page
// must never hold a key, so a page served by `llmbase serve --static` reaches the local server
// through this front, which forwards every request unchanged (paths, headers, test-fault headers,
// streamed bodies) and adds the local key only when a request carries none. Requests with their own
// key keep it, so `serve --static` answers scripts and tests exactly as before. This is for the
// local server only, whose keys are not secrets; a real key belongs behind startProxy().
import http from 'node:http';
import { HttpError, newRequestId, sendError, listenOn } from './http-utils.mjs';
import { createAgents, passableRequestHeaders, pipeResponse, requestUpstream } from './keyless-forward.mjs';

/**
 * Starts the front on host:port, forwarding to `target` (the local server's origin) with `apiKey`
 * added to keyless requests. Resolves once listening: { url, origin, port, close }.
 */
export async function startKeylessFront({ target, apiKey, port = 0, host = '127.0.0.1' }) {
  const targetUrl = new URL(target);
  const agents = createAgents();
  const sockets = new Set();
  const server = http.createServer(async (req, res) => {
    const headers = passableRequestHeaders(req.headers);
    headers.host = targetUrl.host;
    if (!headers.authorization) headers.authorization = `Bearer ${apiKey}`;
    const upstream = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) upstream.abort();
    });
    try {
      const upstreamRes = await requestUpstream(`${targetUrl.origin}${req.url}`, {
        method: req.method,
        headers,
        body: req,
        agents,
        signal: upstream.signal,
      });
      await pipeResponse(upstreamRes, res);
    } catch (error) {
      if (upstream.signal.aborted || res.headersSent) return void res.destroy();
      res.setHeader('x-request-id', newRequestId());
      sendError(
        res,
        new HttpError(502, 'upstream_unreachable', `The local server could not be reached (${error.code ?? 'connection error'}).`)
      );
    }
    return undefined;
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  const origin = await listenOn(server, port, host);
  const address = server.address();
  let closed;
  return {
    url: `${origin}/v1`,
    origin,
    host: address.address,
    port: address.port,
    server,
    close() {
      closed ??= new Promise((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
        agents.destroy();
      });
      return closed;
    },
  };
}
