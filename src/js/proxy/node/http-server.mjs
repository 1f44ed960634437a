// node:http plumbing of the key-safe proxy on Node, which the local test server reuses: JSON replies, the error envelope of a failed handler, and listening.
import { HttpError } from '../http-error.mjs';

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
