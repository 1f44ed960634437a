// WHATWG fetch transport for the wasm core: one JS→wasm call per network read, no Asyncify.
// Written ES5-style on purpose: Emscripten 3.1.6's minifier breaks ?., ??, for-of with const,
// destructuring defaults and object spread in --js-library code (toolchain.md §3.5).
//
// Contract with the JS wrapper (src/js/core-bridge.mjs): before the core sends call `id`, the
// wrapper registers Module.llmbaseCalls[id] = { fetch, signal, abortKind, onResponse(resp),
// onUpdate(update) }. Every update the core returns is parsed and handed to onUpdate; once an
// update says finished, the transport stops calling into wasm for that id.
mergeInto(LibraryManager.library, {
  llmbase_js_fetch_start__deps: ['malloc', 'free'],
  llmbase_js_fetch_start: function(id, requestJsonPtr) {
    var desc = JSON.parse(UTF8ToString(requestJsonPtr));
    var registry = Module['llmbaseCalls'];
    var call = registry ? registry[id] : undefined;
    if (!call) return;
    var finished = false;

    // Reads the core's answer (a JSON text in wasm memory) as a copy and hands it on.
    function deliver(ptr) {
      var update = JSON.parse(UTF8ToString(ptr));
      if (update.finished) finished = true;
      call.onUpdate(update);
      return finished;
    }
    function withCString(text, fn) {
      var size = lengthBytesUTF8(text) + 1;
      var ptr = _malloc(size);
      stringToUTF8(text, ptr, size);
      try { return fn(ptr); } finally { _free(ptr); }
    }
    function fail(kind, message) {
      if (finished) return;
      withCString(kind, function(kindPtr) {
        return withCString(message, function(msgPtr) {
          return deliver(Module['_llmbase_call_on_error'](id, kindPtr, msgPtr));
        });
      });
    }

    var init = { method: desc.method, headers: desc.headers, signal: call.signal };
    if (desc.body !== undefined) init.body = desc.body;
    var doFetch = call.fetch || fetch;
    var reader = null;

    Promise.resolve().then(function() {
      return doFetch(desc.url, init);
    }).then(function(resp) {
      call.onResponse(resp);
      var contentType = resp.headers.get('content-type') || '';
      var stop = withCString(contentType, function(ctPtr) {
        return deliver(Module['_llmbase_call_on_response'](id, resp.status, ctPtr));
      });
      if (stop) return;
      if (!resp.body) {
        deliver(Module['_llmbase_call_on_end'](id));
        return;
      }
      reader = resp.body.getReader();
      function pump() {
        return reader.read().then(function(r) {
          if (finished) return;
          if (r.done) {
            deliver(Module['_llmbase_call_on_end'](id));
            return;
          }
          var bytes = r.value;
          var ptr = _malloc(bytes.length || 1);
          // HEAPU8 is read after malloc: the heap may have grown and replaced the buffer.
          HEAPU8.set(bytes, ptr);
          var out;
          try { out = Module['_llmbase_call_on_body'](id, ptr, bytes.length); } finally { _free(ptr); }
          if (deliver(out)) {
            // [DONE] or an error ended the call: stop reading (closes the stream if bytes remain).
            reader.cancel().catch(function() {});
            return;
          }
          return pump();
        });
      }
      return pump();
    }).catch(function(e) {
      if (finished) return;
      var aborted = call.signal && call.signal.aborted;
      var kind = aborted ? (call.abortKind ? call.abortKind() : 'user_abort') : 'connection';
      var detail = (e && e.cause && e.cause.message) || (e && e.message) || String(e);
      var message = aborted ? (kind === 'user_abort' ? 'Request was aborted.' : detail)
                            : 'Connection error: ' + detail;
      if (reader) reader.cancel().catch(function() {});
      fail(kind, message);
    });
  },
});
