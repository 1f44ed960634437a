// Raw HTTP helpers for the server e2e tests: requests fetch cannot send (bad paths, raw bytes) and byte-level reads.
import http from 'node:http';
import net from 'node:net';

/**
 * One request with node:http. Resolves with status, headers, the body and every `data` piece as received;
 * if the connection breaks, `error` is set instead of rejecting, so tests can inspect what arrived.
 */
export function rawRequest(port, { method = 'GET', path = '/', headers = {}, body } = {}) {
  return new Promise((resolve) => {
    const pieces = [];
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      res.on('data', (piece) => pieces.push(piece));
      const finish = (error) => {
        const buffer = Buffer.concat(pieces);
        resolve({
          status: res.statusCode,
          headers: res.headers,
          text: buffer.toString('utf8'),
          buffer,
          pieces,
          error,
          complete: res.complete,
        });
      };
      res.on('end', () => finish());
      res.on('error', (error) => finish(error));
      res.on('aborted', () => finish(new Error('aborted')));
    });
    req.on('error', (error) => resolve({ status: undefined, headers: {}, text: '', buffer: Buffer.alloc(0), pieces, error }));
    if (body !== undefined) req.write(body);
    req.end();
  });
}

/** Sends raw bytes on a fresh TCP connection and returns everything the server sends back until it closes. */
export function rawSocket(port, bytes) {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.end(bytes));
    const pieces = [];
    socket.on('data', (piece) => pieces.push(piece));
    socket.on('close', () => resolve(Buffer.concat(pieces).toString('utf8')));
    socket.on('error', reject);
  });
}
