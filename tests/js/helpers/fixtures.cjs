// Loads the golden stream fixtures (tests/fixtures/streams) and serves them through a fake fetch.
'use strict';
const fs = require('fs');
const path = require('path');

const STREAMS_DIR = path.join(__dirname, '..', '..', 'fixtures', 'streams');

/** Every fixture: { name, bytes (Buffer), expected (parsed .expected.json) }. */
function loadStreamFixtures() {
  return fs
    .readdirSync(STREAMS_DIR)
    .filter((f) => f.endsWith('.sse'))
    .sort()
    .map((file) => {
      const name = file.slice(0, -'.sse'.length);
      return {
        name,
        bytes: fs.readFileSync(path.join(STREAMS_DIR, file)),
        expected: JSON.parse(fs.readFileSync(path.join(STREAMS_DIR, `${name}.expected.json`), 'utf8')),
      };
    });
}

/** Splits `bytes` into pieces of 1..maxPiece bytes with a seeded generator (deterministic). */
function splitBytes(bytes, seed, maxPiece) {
  let state = seed >>> 0;
  const pieces = [];
  for (let i = 0; i < bytes.length;) {
    state = (state * 1664525 + 1013904223) >>> 0;
    const size = 1 + (state % maxPiece);
    pieces.push(bytes.subarray(i, i + size));
    i += size;
  }
  return pieces;
}

/**
 * A fetch that answers with `pieces` as the streamed body (one network read per piece), and
 * records the requests it saw. Real WHATWG Response and ReadableStream, as Node 20 provides.
 */
function fetchServing(pieces, { status = 200, contentType = 'text/event-stream', headers = {} } = {}) {
  const seen = [];
  const fakeFetch = async (url, init) => {
    seen.push({ url, init });
    let i = 0;
    const body = new ReadableStream({
      pull(controller) {
        if (i < pieces.length) controller.enqueue(new Uint8Array(pieces[i++]));
        else controller.close();
      },
    });
    return new Response(body, { status, headers: { 'content-type': contentType, ...headers } });
  };
  fakeFetch.seen = seen;
  return fakeFetch;
}

module.exports = { loadStreamFixtures, splitBytes, fetchServing };
