// A loopback upstream that does whatever a test's handler says (silent, stalling, echoing the key): the hostile servers of the proxy suites.
import http from 'node:http';

/** Starts it on 127.0.0.1; close() also cuts the connections a handler left open. */
export async function hostileUpstream(handler) {
  const sockets = new Set();
  const server = http.createServer(handler);
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/v1`,
    close: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(resolve);
    }),
  };
}
