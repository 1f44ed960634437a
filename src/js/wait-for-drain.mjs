// Backpressure for Node writable streams: wait until a full one drains, closes, or the call is aborted.

/**
 * Resolves once `stream` emits 'drain' or 'close', or `signal` aborts: a writer that awaits it
 * after a write returned false (or while `writableNeedDrain`) produces only as fast as the
 * reader takes, so nothing piles up in memory.
 */
export function waitForDrain(stream, signal) {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      signal.removeEventListener('abort', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    signal.addEventListener('abort', done, { once: true });
  });
}
