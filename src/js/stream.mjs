// The async-iterable stream of `chat.completion.chunk` objects returned by create({ stream: true }).
import { relayFromReadableStream, relayToReadableStream } from './stream-relay.mjs';

/**
 * Shaped like openai-node's Stream: `for await` over chunks, `.controller` (AbortController),
 * `.finalChatCompletion()`. Leaving the loop early (break, return, throw) aborts the request.
 */
export class ChatCompletionStream {
  #channel;
  #iterated = false;
  #final;

  /** `final`: the settled completion with what the client adds to it (its cost). */
  constructor(channel, final = channel.settled()) {
    this.#channel = channel;
    this.#final = final;
  }

  /** Aborting it cancels the underlying fetch; iteration then ends with APIUserAbortError. */
  get controller() {
    return this.#channel.controller;
  }

  /** The fetch Response (status, headers such as x-llmbase-served-model). */
  get response() {
    return this.#channel.response;
  }

  /** Resolves once the transport has let go of the connection and the call's wasm state is freed. */
  get released() {
    return this.#channel.released;
  }

  [Symbol.asyncIterator]() {
    if (this.#iterated) {
      throw new Error('This stream was already iterated; a stream can be consumed once.');
    }
    this.#iterated = true;
    const channel = this.#channel;
    return {
      next() {
        // A queued chunk is handed out without an await: most steps of a fast stream are this.
        const queued = channel.take();
        if (queued !== undefined) return Promise.resolve({ done: false, value: queued });
        return channel.next().then((chunk) => (chunk === undefined ? { done: true, value: undefined } : { done: false, value: chunk }));
      },
      async return() {
        channel.abort('user_abort');
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  /**
   * The whole completion, accumulated by the core from every chunk (content, reasoning,
   * tool_calls, usage). Rejects with the stream's error, which carries `.partial`.
   */
  finalChatCompletion() {
    this.#channel.unthrottle();
    return this.#final;
  }

  /** Newline-delimited JSON chunks for relaying (openai-node's format); cancelling it aborts. */
  toReadableStream() {
    return relayToReadableStream(this);
  }

  /** A stream runner (events, final*()) over a relayed NDJSON body, decoded by the core. */
  static fromReadableStream(body, params) {
    return relayFromReadableStream(body, params);
  }
}
