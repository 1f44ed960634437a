// Relaying a stream from a server route to a browser: NDJSON out (toReadableStream), core-decoded runner in (fromReadableStream).
import { loadCore } from './core-loader.mjs';
import { APIConnectionError, APIUserAbortError, errorFromCore } from './errors.mjs';
import { ChatCompletionStreamRunner } from './chat-completion-runner.mjs';

/**
 * One `chat.completion.chunk` JSON per line, as openai-node's toReadableStream() writes them.
 * When the source fails with an API error or an abort, the last line is `{"error":{…}}`, the
 * same error frame an LLMBase stream uses, so the reader gets a typed error instead of a stream
 * that merely stops. Cancelling the readable (the browser went away) aborts the source.
 */
export function relayToReadableStream(stream) {
  const encoder = new TextEncoder();
  const iterator = stream[Symbol.asyncIterator]();
  return new ReadableStream({
    async pull(controller) {
      try {
        const step = await iterator.next();
        if (step.done) controller.close();
        else controller.enqueue(encoder.encode(`${JSON.stringify(step.value)}\n`));
      } catch (error) {
        // A lost upstream connection is relayed as what it is, a stream that ends early: the
        // reader's core then reports IncompleteStreamError (an APIConnectionError) itself.
        if (error instanceof APIConnectionError) return controller.close();
        const frame = { message: error.message, type: error.type || error.name, code: error.code || error.kind || null };
        controller.enqueue(encoder.encode(`${JSON.stringify({ error: frame })}\n`));
        controller.close();
      }
    },
    async cancel() {
      if (typeof iterator.return === 'function') await iterator.return();
    },
  });
}

/**
 * A stream runner over relayed NDJSON bytes (a fetch Response body). Each line goes to the core's
 * stream decoder as one SSE data frame, so chunks, error frames, the early-end rule and the
 * accumulated completion are the core's, exactly as for a direct call. abort() cancels the body,
 * which closes the connection to the relaying route, which then aborts its upstream call.
 */
export function relayFromReadableStream(body, params = {}) {
  if (!body || typeof body.getReader !== 'function') {
    throw new TypeError('fromReadableStream(body): body must be a ReadableStream of bytes, e.g. `(await fetch(url)).body`.');
  }
  return new ChatCompletionStreamRunner(async () => decoderSource(await loadCore(), body), params);
}

function decoderSource(core, body) {
  const reader = body.getReader();
  const decoder = new core.StreamDecoder();
  const text = new TextDecoder();
  const queue = [];
  let pending = '';
  let finished = false;
  let aborted = false;
  let error = null;
  let completion = null;
  const release = () => {
    if (completion !== null) return;
    completion = JSON.parse(decoder.completion());
    decoder.delete();
  };
  const apply = (updateText) => {
    const update = JSON.parse(updateText);
    for (const chunk of update.chunks) queue.push(chunk);
    if (!update.finished) return;
    finished = true;
    release();
    if (update.error) error = errorFromCore(update.error, { partial: completion });
    reader.cancel().catch(() => {});
  };
  // NDJSON lines → `data: <line>\n\n` frames; only whole lines are passed on.
  const feedText = (piece, last) => {
    pending += piece;
    const lines = pending.split('\n');
    pending = last ? '' : lines.pop();
    const frames = lines.map((line) => line.replace(/\r$/, '')).filter((line) => line !== '');
    if (frames.length) apply(decoder.feed(frames.map((line) => `data: ${line}\n\n`).join('')));
  };
  const fail = (failure) => {
    finished = true;
    release();
    error = failure;
    if (failure.partial === undefined) failure.partial = completion;
  };
  const readMore = async () => {
    let step;
    try {
      step = await reader.read();
    } catch (cause) {
      if (!finished)
        fail(
          aborted
            ? new APIUserAbortError('Request was aborted.')
            : new APIConnectionError(`The relayed stream failed: ${cause && cause.message}`, { kind: 'connection' })
        );
      return;
    }
    if (finished) return;
    if (aborted) return fail(new APIUserAbortError('Request was aborted.'));
    if (step.done) {
      feedText(text.decode(), true);
      if (!finished) apply(decoder.finish());
      return;
    }
    feedText(text.decode(step.value, { stream: true }), false);
  };
  return {
    response: null,
    iterator: {
      async next() {
        for (;;) {
          if (queue.length) return { done: false, value: queue.shift() };
          if (finished) {
            if (error) throw error;
            return { done: true, value: undefined };
          }
          await readMore();
        }
      },
    },
    async final() {
      if (error) throw error;
      return completion;
    },
    abort() {
      if (finished || aborted) return;
      aborted = true;
      reader.cancel().catch(() => {});
      fail(new APIUserAbortError('Request was aborted.'));
    },
  };
}
