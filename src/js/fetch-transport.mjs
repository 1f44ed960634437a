// WHATWG fetch transport for one CoreCall: one wasm call per network read, reads only as the consumer pulls.
//
// The transport only performs I/O. Every decision (the error, whether and when to retry) comes
// back from the core in the update each event returns: four u32 in wasm memory, flags
// (1 finished, 2 retry), the address and byte length of the chunk texts (comma-joined, as
// received) and their count. Chunks become objects with one TextDecoder call and one JSON.parse
// per read; the call's state (result, error, retry delay) is read only when a flag says so.

const FINISHED = 1;
const RETRY = 2;
const utf8 = new TextDecoder();
// How long the body may stay open after [DONE] before it is cancelled (the reply is already out).
const AFTER_DONE_MS = 1000;
// How long a cancelled connection keeps its concurrency slot, for its close to reach the server.
const CLOSE_GRACE_MS = 50;

// A server may echo the key into a response header (x-request-id: req_<key>); the Response that
// reaches the caller (response.headers, error.headers, error.requestId) is then a copy with the
// core's redaction applied. Any other response passes as it came.
function withoutSecrets(call, response) {
  const entries = [];
  response.headers.forEach((value, name) => entries.push([name, value]));
  const redacted = call.redactHeaders(JSON.stringify(entries));
  if (!redacted) return response;
  const copy = new Response(response.body, { status: response.status, statusText: response.statusText, headers: JSON.parse(redacted) });
  for (const name of ['url', 'redirected', 'type']) Object.defineProperty(copy, name, { value: response[name] });
  return copy;
}

/**
 * Runs `call` (a prepared CoreCall) to its end. `hooks`:
 *   fetch, signal (ends the whole call), abortKind(), abortMessage(), idleTimeoutMs,
 *   onResponse(resp), onChunks(array, bytes), onState(state), readAhead() → a promise that
 *   resolves when the consumer wants more (or null to read on at once).
 * Resolves once the call is over and the attempt's connection has been let go of.
 */
export function runCall(core, call, request, hooks) {
  let over = false;
  let attemptAbort = null;
  let idleTimer = null;
  let idleFired = false;
  let retryTimer = null;
  let cancelled = false; // a body was cancelled or a fetch aborted: its socket is being closed
  let settle;
  const done = new Promise((resolve) => {
    settle = resolve;
  });

  // Reads the core's answer: chunks every time, state only when flagged.
  function deliver(address) {
    const u32 = core.HEAPU32;
    const at = address >>> 2;
    const flags = u32[at];
    const length = u32[at + 2];
    if (length) {
      const start = u32[at + 1];
      hooks.onChunks(JSON.parse(`[${utf8.decode(core.HEAPU8.subarray(start, start + length))}]`), length);
    }
    if (!(flags & (FINISHED | RETRY))) return false;
    const state = JSON.parse(call.state() || '{"finished":true}');
    if (state.finished) {
      over = true;
      cleanup();
    }
    hooks.onState(state);
    if (!over && state.retryDelayMs !== undefined) {
      retryTimer = setTimeout(() => {
        retryTimer = null;
        attempt();
      }, state.retryDelayMs);
    }
    return true; // this attempt is over
  }
  function clearIdle() {
    if (idleTimer !== null) clearTimeout(idleTimer);
    idleTimer = null;
  }
  // The idle limit covers the wait for headers and every gap between body reads. It is paused
  // while the consumer is slow: a reader that does not pull is not an idle server.
  function armIdle() {
    clearIdle();
    if (!hooks.idleTimeoutMs) return;
    idleTimer = setTimeout(() => {
      idleFired = true;
      if (attemptAbort) attemptAbort.abort();
    }, hooks.idleTimeoutMs);
  }
  function cleanup() {
    clearIdle();
    if (retryTimer !== null) clearTimeout(retryTimer);
    retryTimer = null;
    if (hooks.signal) hooks.signal.removeEventListener('abort', onCallAbort);
  }
  function fail(kind, message) {
    if (!over) deliver(call.onError(kind, message));
  }
  function failAborted() {
    fail(hooks.abortKind(), hooks.abortMessage());
  }
  function onCallAbort() {
    if (retryTimer !== null) {
      // Aborted while waiting to retry: no fetch is running, so end the call here.
      clearTimeout(retryTimer);
      retryTimer = null;
      failAborted();
      settle();
    } else if (attemptAbort) {
      attemptAbort.abort();
    }
  }
  if (hooks.signal) hooks.signal.addEventListener('abort', onCallAbort);

  function onResponse(resp) {
    armIdle();
    hooks.onResponse(resp);
    if (resp.type === 'opaqueredirect' || (resp.status >= 300 && resp.status < 400 && resp.headers.has('location'))) {
      // A redirect would re-send the prompt to wherever the server points: refused (issue 16.9).
      const target = resp.headers.get('location');
      fail(
        'invalid_response',
        `Refused to follow a redirect${resp.status ? ` (HTTP ${resp.status})` : ''} to ${target || 'another location'}: the client never re-sends a request elsewhere; set baseURL to the final address.`
      );
      return true;
    }
    const h = resp.headers;
    return deliver(
      call.onResponse(resp.status, h.get('content-type') || '', h.get('retry-after-ms') || '', h.get('retry-after') || '', Date.now())
    );
  }

  async function pump(reader, controller) {
    for (;;) {
      const wait = hooks.readAhead();
      if (wait) {
        clearIdle();
        await wait;
        if (over) return;
        if (controller.signal.aborted) throw new Error('aborted');
      }
      armIdle();
      const r = await reader.read();
      if (over) return;
      // Aborted while the read was resolving: end the way an aborted read ends.
      if (controller.signal.aborted) throw new Error('aborted');
      if (r.done) {
        clearIdle();
        deliver(call.onEnd());
        return;
      }
      const bytes = r.value;
      // HEAPU8 is read after inputBuffer(): the heap may have grown and replaced the buffer.
      const into = call.inputBuffer(bytes.length);
      core.HEAPU8.set(bytes, into);
      if (deliver(call.onBody(bytes.length))) {
        clearIdle();
        // [DONE], an error or a retry ended this attempt. After a clean [DONE] the body is
        // normally over too: read to its end rather than cancel (a cancel logs
        // net::ERR_ABORTED in browsers), but cancel a server that keeps sending.
        if (over && !hooks.signal.aborted) {
          let timer;
          const late = new Promise((resolve) => {
            timer = setTimeout(resolve, AFTER_DONE_MS, { done: false });
          });
          const rest = await Promise.race([reader.read().catch(() => ({ done: true })), late]);
          clearTimeout(timer);
          if (!rest.done) {
            cancelled = true;
            await reader.cancel().catch(() => {});
          }
        } else {
          cancelled = true;
          await reader.cancel().catch(() => {});
        }
        return;
      }
    }
  }

  async function attempt() {
    if (over) return;
    if (hooks.signal && hooks.signal.aborted) {
      failAborted();
      settle();
      return;
    }
    const controller = new AbortController();
    attemptAbort = controller;
    idleFired = false;
    let reader = null;
    const init = { method: request.method, headers: request.headers, signal: controller.signal, redirect: 'manual' };
    if (request.body !== undefined) init.body = request.body;
    armIdle();
    try {
      const resp = withoutSecrets(call, await (hooks.fetch || fetch)(request.url, init));
      if (onResponse(resp)) {
        if (resp.body) await resp.body.cancel().catch(() => {});
      } else if (!resp.body) {
        clearIdle();
        deliver(call.onEnd());
      } else {
        reader = resp.body.getReader();
        await pump(reader, controller);
      }
    } catch (e) {
      clearIdle();
      cancelled = true;
      if (!over && attemptAbort === controller) {
        if (reader) await reader.cancel().catch(() => {});
        const detail = (e && e.cause && e.cause.message) || (e && e.message) || String(e);
        if (hooks.signal && hooks.signal.aborted) failAborted();
        else if (idleFired) fail('idle_timeout', core.transportErrorText('idle_timeout', hooks.idleTimeoutMs, ''));
        else fail('connection', core.transportErrorText('connection', 0, detail));
      }
    }
    // The call's slot is freed only once this attempt's connection has been let go of. After a
    // cancel or an abort, Node's fetch closes the socket some milliseconds later (measured: 6-12
    // ms on loopback), so a slot handed on at once could reach the server before the close
    // does and meet its concurrency limit (429 too_many_concurrent_requests).
    if (over) {
      if (cancelled) await new Promise((resolve) => setTimeout(resolve, CLOSE_GRACE_MS));
      settle();
    }
  }
  attempt();
  return done;
}
