// WHATWG fetch transport for the wasm core: one JS→wasm call per network read, no Asyncify.
// Written ES5-style on purpose: Emscripten 3.1.6's minifier breaks ?., ??, for-of with const,
// destructuring defaults and object spread in --js-library code (toolchain.md §3.5).
//
// Contract with the JS wrapper (src/js/core-bridge.mjs): before the core sends call `id`, the
// wrapper registers Module.llmbaseCalls[id] = { fetch, signal, abortKind(), abortMessage(),
// idleTimeoutMs, onResponse(resp), onUpdate(update) }. `signal` ends the whole call (user
// abort, total timeout); abortKind() and abortMessage() say which and how. The transport only
// performs I/O: every decision (errors, retry or not, how long to wait) comes back from the
// core in the update it returns.
mergeInto(LibraryManager.library, {
  llmbase_js_fetch_start__deps: ['malloc', 'free'],
  llmbase_js_fetch_start: function(id, requestJsonPtr) {
    var desc = JSON.parse(UTF8ToString(requestJsonPtr));
    var registry = Module['llmbaseCalls'];
    var call = registry ? registry[id] : undefined;
    if (!call) return;
    var finished = false;
    var attemptAbort = null;   // aborts the current attempt's fetch
    var idleTimer = null;
    var idleFired = false;
    var retryTimer = null;

    function withCString(text, fn) {
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      stringToUTF8(text, ptr, size);
      try { return fn(ptr); } finally { _free(ptr); }
    }
    function clearIdle() {
      if (idleTimer !== null) clearTimeout(idleTimer);
      idleTimer = null;
    }
    // The idle limit covers the wait for headers and every gap between body reads.
    function armIdle() {
      clearIdle();
      if (!call.idleTimeoutMs) return;
      idleTimer = setTimeout(function() {
        idleFired = true;
        if (attemptAbort) attemptAbort.abort();
      }, call.idleTimeoutMs);
    }
    function cleanup() {
      clearIdle();
      if (retryTimer !== null) clearTimeout(retryTimer);
      retryTimer = null;
      if (call.signal) call.signal.removeEventListener('abort', onCallAbort);
    }
    // Reads the core's answer (a JSON text in wasm memory) as a copy and acts on it.
    function deliver(ptr) {
      var update = JSON.parse(UTF8ToString(ptr));
      if (update.finished) {
        finished = true;
        cleanup();
      }
      call.onUpdate(update);
      if (!finished && update.retryDelayMs !== undefined) {
        retryTimer = setTimeout(function() { retryTimer = null; attempt(); }, update.retryDelayMs);
        return true;  // this attempt is over
      }
      return finished;
    }
    function fail(kind, message) {
      if (finished) return;
      withCString(kind, function(kindPtr) {
        return withCString(message, function(msgPtr) {
          return deliver(Module['_llmbase_call_on_error'](id, kindPtr, msgPtr));
        });
      });
    }
    function failAborted() {
      fail(call.abortKind ? call.abortKind() : 'user_abort',
           call.abortMessage ? call.abortMessage() : 'Request was aborted.');
    }
    function onCallAbort() {
      if (retryTimer !== null) {
        // Aborted while waiting to retry: no fetch is running, so end the call here.
        clearTimeout(retryTimer);
        retryTimer = null;
        failAborted();
      } else if (attemptAbort) {
        attemptAbort.abort();
      }
    }
    if (call.signal) call.signal.addEventListener('abort', onCallAbort);

    function attempt() {
      if (finished) return;
      if (call.signal && call.signal.aborted) {
        failAborted();
        return;
      }
      var controller = new AbortController();
      attemptAbort = controller;
      idleFired = false;
      var reader = null;
      var init = { method: desc.method, headers: desc.headers, signal: controller.signal };
      if (desc.body !== undefined) init.body = desc.body;
      var doFetch = call.fetch || fetch;
      armIdle();

      Promise.resolve().then(function() {
        return doFetch(desc.url, init);
      }).then(function(resp) {
        armIdle();
        call.onResponse(resp);
        var h = resp.headers;
        var over = withCString(h.get('content-type') || '', function(ct) {
          return withCString(h.get('retry-after-ms') || '', function(ms) {
            return withCString(h.get('retry-after') || '', function(ra) {
              return deliver(Module['_llmbase_call_on_response'](id, resp.status, ct, ms, ra, Date.now()));
            });
          });
        });
        if (over) return;
        if (!resp.body) {
          clearIdle();
          deliver(Module['_llmbase_call_on_end'](id));
          return;
        }
        reader = resp.body.getReader();
        function pump() {
          return reader.read().then(function(r) {
            if (finished || controller.signal.aborted) return;
            if (r.done) {
              clearIdle();
              deliver(Module['_llmbase_call_on_end'](id));
              return;
            }
            armIdle();
            var bytes = r.value;
            var ptr = _malloc(bytes.length || 1);
            // HEAPU8 is read after malloc: the heap may have grown and replaced the buffer.
            HEAPU8.set(bytes, ptr);
            var out;
            try { out = Module['_llmbase_call_on_body'](id, ptr, bytes.length); } finally { _free(ptr); }
            if (deliver(out)) {
              // [DONE], an error or a retry ended this attempt: stop reading.
              clearIdle();
              reader.cancel().catch(function() {});
              return;
            }
            return pump();
          });
        }
        return pump();
      }).catch(function(e) {
        clearIdle();
        if (finished || attemptAbort !== controller) return;
        if (reader) reader.cancel().catch(function() {});
        var callAborted = call.signal && call.signal.aborted;
        var detail = (e && e.cause && e.cause.message) || (e && e.message) || String(e);
        if (callAborted) {
          failAborted();
        } else if (idleFired) {
          fail('idle_timeout', 'No data received for ' + call.idleTimeoutMs + ' ms (idleTimeout).');
        } else {
          fail('connection', 'Connection error: ' + detail);
        }
      });
    }
    attempt();
  },
});
