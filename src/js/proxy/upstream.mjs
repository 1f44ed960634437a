// Upstream I/O of the fetch-handler proxy: one fetch out with headers and idle timeouts, the body relayed unbuffered and key-scrubbed.
import { HttpError } from './http-error.mjs';
import { BROWSER_READABLE_HEADERS } from '../api-headers.mjs';
import { concatBytes, KeyScrubber, scrubText } from './rules.mjs';

// Only these upstream response headers reach the browser: the body's type, length and caching, and
// the ones a page may read (api-headers.mjs: the request id, the retry hints and LLMBase's fallback
// headers), by exact name, so a new upstream header is not passed by accident. Everything else
// (cookies, upstream CORS, hop-by-hop headers) stays behind.
const PASSED_RESPONSE_HEADERS = new Set([
  'content-type',
  'content-length',
  'cache-control',
  'x-accel-buffering',
  ...BROWSER_READABLE_HEADERS,
]);

/** An upstream that did not answer in time: the proxy answers it with 504 (`code` says which limit). */
export class UpstreamTimeout extends Error {
  constructor(code, ms) {
    super(
      code === 'upstream_headers_timeout'
        ? `the upstream sent no response headers within ${ms} ms`
        : `the upstream sent nothing for ${ms} ms`
    );
    this.name = 'UpstreamTimeout';
    this.code = code;
  }
}

/** A failed upstream request as the proxy's answer: 504 for a timeout, else 502 with the error code only. */
export function unreachable(error) {
  if (error instanceof UpstreamTimeout) {
    return new HttpError(504, error.code, `The upstream API did not answer in time (${error.message}). Try again in a moment.`);
  }
  // The code only (ECONNREFUSED, ENOTFOUND…): a message could carry more of the upstream setup than needed.
  const code = error?.cause?.code ?? error?.code;
  return new HttpError(
    502,
    'upstream_unreachable',
    `The upstream API could not be reached (${typeof code === 'string' ? code : 'connection error'}). Try again in a moment.`
  );
}

/**
 * The idle limit of an upstream body: `onIdle()` once a read has waited `ms` with nothing coming.
 * Only a waiting read counts (a consumer that does not pull is not an idle upstream). One timer
 * for the whole body, re-armed only when it fires early: no timer or promise per chunk.
 */
class IdleWatchdog {
  #ms;
  #onIdle;
  #since = 0;
  #waiting = false;
  #timer = null;
  fired = false;

  constructor(ms, onIdle) {
    this.#ms = ms;
    this.#onIdle = onIdle;
  }

  reading() {
    this.#since = Date.now();
    this.#waiting = true;
    this.#timer ??= setTimeout(() => this.#check(), this.#ms);
  }

  read() {
    this.#waiting = false;
  }

  stop() {
    clearTimeout(this.#timer);
    this.#timer = null;
    this.#waiting = false;
  }

  #check() {
    this.#timer = null;
    if (!this.#waiting) return;
    const idle = Date.now() - this.#since;
    if (idle < this.#ms) {
      this.#timer = setTimeout(() => this.#check(), this.#ms - idle);
      return;
    }
    this.fired = true;
    this.#onIdle();
  }
}

/** A watchdog that does nothing (no idle limit). */
const NO_WATCHDOG = { reading() {}, read() {}, stop() {}, fired: false };

/**
 * Sends one upstream request and resolves once the status and headers are there:
 * { response, body, abort, watchdog, timeout } (relayBody and fetchJson read the body under the
 * watchdog). `headersTimeoutMs`: longest wait for the headers; `idleTimeoutMs`:
 * longest silence, before the headers and between body chunks. `signal` aborts it all. Rejects
 * with UpstreamTimeout or the fetch error (unreachable() turns either into the answer).
 */
export async function fetchUpstream(
  url,
  { method = 'GET', headers = {}, body, signal, headersTimeoutMs = 0, idleTimeoutMs = 0, fetch: fetchImpl = fetch }
) {
  const controller = new AbortController();
  const abort = (reason) => controller.abort(reason);
  if (signal) {
    if (signal.aborted) abort(signal.reason);
    else signal.addEventListener('abort', () => abort(signal.reason), { once: true });
  }
  // Before the headers the connection is silent by definition: the nearer of the two limits applies.
  const headersFirst = headersTimeoutMs > 0 && (idleTimeoutMs <= 0 || headersTimeoutMs <= idleTimeoutMs);
  const waitMs = headersFirst ? headersTimeoutMs : idleTimeoutMs;
  let timedOut = null;
  const timer =
    waitMs > 0
      ? setTimeout(() => {
          timedOut = new UpstreamTimeout(headersFirst ? 'upstream_headers_timeout' : 'upstream_idle_timeout', waitMs);
          abort(timedOut);
        }, waitMs)
      : null;
  let response;
  try {
    // manual: a redirect is answered as it came, never followed with the key (issue 16.9).
    response = await fetchImpl(url, { method, headers, body, signal: controller.signal, redirect: 'manual' });
  } catch (error) {
    throw timedOut ?? error;
  } finally {
    clearTimeout(timer);
  }
  const timeout = new UpstreamTimeout('upstream_idle_timeout', idleTimeoutMs);
  const watchdog = response.body && idleTimeoutMs > 0 ? new IdleWatchdog(idleTimeoutMs, () => abort(timeout)) : NO_WATCHDOG;
  return { response, body: response.body, abort, watchdog, timeout };
}

/**
 * Reads the upstream body through its watchdog: { done, value }, or a rejection with the
 * UpstreamTimeout when the idle limit ended it.
 */
async function readWatched(reader, upstream) {
  upstream.watchdog.reading();
  try {
    return await reader.read();
  } catch (error) {
    throw upstream.watchdog.fired ? upstream.timeout : error;
  } finally {
    upstream.watchdog.read();
  }
}

/** The passable headers of an upstream response, with `secret` redacted from every value. */
export function passedHeaders(upstreamHeaders, secret, into = new Headers()) {
  upstreamHeaders.forEach((value, name) => {
    if (PASSED_RESPONSE_HEADERS.has(name)) into.set(name, secret ? scrubText(value, secret, true) : value);
  });
  // Scrubbing may change the body's length: it goes without Content-Length (chunked).
  if (secret) into.delete('content-length');
  return into;
}

/**
 * The upstream body relayed as it arrives: each chunk is scrubbed of `secret` and handed on as soon
 * as the consumer pulls (no read-ahead beyond that: a slow browser slows the upstream read).
 * `onBytes(chunk)`: a copy for the meter; `onEnd(outcome)`: 'done', 'error' or 'cancelled', once.
 * An upstream that breaks off (or goes silent past the idle limit) errors this stream, so the
 * browser sees a cut body, never a clean end that looks like success.
 */
export function relayBody(upstream, { secret, onBytes = () => {}, onEnd = () => {} }) {
  const reader = upstream.body.getReader();
  const scrubber = new KeyScrubber(secret);
  let ended = false;
  const end = (outcome) => {
    if (!ended) {
      ended = true;
      upstream.watchdog.stop();
      onEnd(outcome);
    }
  };
  return new ReadableStream(
    {
      async pull(controller) {
        try {
          for (;;) {
            const { done, value } = await readWatched(reader, upstream);
            if (done) {
              const rest = scrubber.flush();
              if (rest.length) controller.enqueue(rest);
              controller.close();
              end('done');
              return;
            }
            onBytes(value);
            const safe = scrubber.push(value);
            if (safe.length) {
              controller.enqueue(safe);
              return;
            }
          }
        } catch (error) {
          controller.error(error);
          end('error');
        }
      },
      cancel(reason) {
        end('cancelled');
        upstream.abort(reason);
        return reader.cancel(reason).catch(() => {});
      },
    },
    { highWaterMark: 0 }
  );
}

/** GETs `url` and parses its JSON body (at most `limit` bytes): { status, body } (body null if not JSON). */
export async function fetchJson(url, { limit = 8 * 1024 * 1024, ...options }) {
  const upstream = await fetchUpstream(url, { method: 'GET', ...options });
  const { response } = upstream;
  const chunks = [];
  let size = 0;
  if (response.body) {
    const reader = response.body.getReader();
    try {
      for (;;) {
        const { done, value } = await readWatched(reader, upstream);
        if (done) break;
        size += value.length;
        if (size > limit) {
          await reader.cancel().catch(() => {});
          throw new Error(`the upstream response from ${new URL(url).pathname} is larger than ${limit} bytes`);
        }
        chunks.push(value);
      }
    } finally {
      upstream.watchdog.stop();
    }
  }
  let parsed = null;
  try {
    parsed = JSON.parse(new TextDecoder().decode(concatBytes(chunks)));
  } catch {
    // Not JSON: the caller decides from the status what that means.
  }
  return { status: response.status, headers: response.headers, body: parsed };
}
