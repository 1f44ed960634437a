// client.chat.completions.stream(): openai-node's ChatCompletionStream events over a call whose state is in the core.
import { loadCore, loadFullCore } from './core-loader.mjs';
import { RunnerEvents } from './runner-events.mjs';
import { CoreSnapshot } from './core-snapshot.mjs';
import { hasResponseFormat, parseCompletion, partialParse } from './structured-output.mjs';
import { relayFromReadableStream, relayToReadableStream } from './stream-relay.mjs';

// Event payloads whose snapshot fields are getters: a snapshot copies the whole reply out of
// wasm, so it is only made when a listener reads it (once per chunk at most).
function lazy(fields, getters) {
  for (const [name, get] of Object.entries(getters)) {
    Object.defineProperty(fields, name, { get, enumerable: true, configurable: true });
  }
  return fields;
}

/**
 * A running stream. `open(signal)` resolves with its source: { iterator (chunks), final() (the
 * settled completion), abort(), response, released()? (the transport let go) }. Live calls and relayed streams (fromReadableStream)
 * are both such sources. Snapshots are the core's: the chunks handed out so far, folded by the
 * core's stream accumulator (core-snapshot.mjs), so a snapshot never runs ahead of the events.
 */
export class ChatCompletionStreamRunner extends RunnerEvents {
  #source = null;
  #params;
  #core = null;
  #final = null;
  #snapshot = null;

  constructor(open, params = {}) {
    super();
    this.#params = params;
    this._run(async (signal) => {
      // Partial JSON (content.delta `parsed`, parsed_arguments) and the schema check of the end
      // are the full core's; a plain stream's snapshots need only the default module.
      const helpers = hasResponseFormat(this.#params) || Array.isArray(this.#params && this.#params.tools);
      this.#core = helpers ? await loadFullCore() : await loadCore();
      this.#snapshot = new CoreSnapshot(this.#core);
      const source = await open(signal);
      this.#source = source;
      if (signal.aborted) source.abort();
      else signal.addEventListener('abort', () => source.abort(), { once: true });
      this._emit('connect');
      const tools = new Map(); // choice index → tool-call indexes seen, in order
      try {
        for (;;) {
          const step = await source.iterator.next();
          if (step.done) break;
          this.#snapshot.add(step.value);
          this.#onChunk(step.value, tools);
        }
        return this.#onEnd(await source.final(), tools);
      } catch (error) {
        // A failing listener or schema check must not leave the call running; done() settles
        // only once the core has released it.
        source.abort();
        await source.final().catch(() => {});
        throw error;
      } finally {
        this.#snapshot.release();
        // The run settles once the call's wasm state is freed, also when it failed.
        if (source.released) await source.released();
      }
    });
  }

  /** A runner over a relayed NDJSON body (toReadableStream() on a server), decoded by the core. */
  static fromReadableStream(body, params) {
    return relayFromReadableStream(body, params);
  }

  /** The fetch Response of a live call (null for a relayed stream). */
  get response() {
    return this.#source ? this.#source.response || null : null;
  }

  /** The completion the core has accumulated from the chunks handed out so far. */
  get currentChatCompletionSnapshot() {
    if (this.#final) return this.#final;
    return this.#snapshot ? this.#snapshot.get() : undefined;
  }

  async totalUsage() {
    const completion = await this._settled();
    return completion.usage;
  }

  /** Newline-delimited JSON chunks, as openai-node relays them; cancelling it aborts the run. */
  toReadableStream() {
    return relayToReadableStream(this);
  }

  [Symbol.asyncIterator]() {
    const queue = [];
    const waiters = [];
    let failure = null;
    let finished = false;
    const wake = () => {
      while (waiters.length) waiters.shift()();
    };
    this.on('chunk', (chunk) => {
      queue.push(chunk);
      wake();
    });
    this.on('end', () => {
      finished = true;
      wake();
    });
    this.on('error', (error) => {
      failure = error;
    });
    const runner = this;
    return {
      async next() {
        for (;;) {
          if (queue.length) return { done: false, value: queue.shift() };
          if (finished) {
            if (failure) throw failure;
            return { done: true, value: undefined };
          }
          await new Promise((resolve) => waiters.push(resolve));
        }
      },
      async return() {
        // Leaving the loop early (break, return, throw) cancels the request, as in openai-node.
        runner.abort();
        return { done: true, value: undefined };
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  #onChunk(chunk, tools) {
    let snap;
    const snapshot = () => {
      if (snap === undefined) snap = this.#snapshot.get();
      return snap;
    };
    const choiceAt = (index) => {
      const completion = snapshot();
      return completion && completion.choices ? completion.choices.find((c) => c.index === index) : undefined;
    };
    if (this.listening('chunk')) this._emit('chunk', chunk, this.wantsArgument('chunk', 1) ? snapshot() : undefined);
    for (const choice of chunk.choices || []) {
      const index = choice.index || 0;
      const delta = choice.delta || {};
      const field = (name) => () => {
        const message = (choiceAt(index) || {}).message || {};
        return message[name] === undefined || message[name] === null ? '' : message[name];
      };
      if (typeof delta.content === 'string' && delta.content !== '') {
        const content = field('content');
        if (this.listening('content')) this._emit('content', delta.content, this.wantsArgument('content', 1) ? content() : undefined);
        if (this.listening('content.delta')) {
          const json = hasResponseFormat(this.#params);
          this._emit(
            'content.delta',
            lazy(
              { delta: delta.content },
              {
                snapshot: content,
                parsed: () => (json ? partialParse(this.#core, content()) : undefined),
              }
            )
          );
        }
      }
      if (typeof delta.refusal === 'string' && delta.refusal !== '') {
        this._emit('refusal.delta', lazy({ delta: delta.refusal }, { snapshot: field('refusal') }));
      }
      const logprobs = choice.logprobs || {};
      for (const kind of ['content', 'refusal']) {
        if (Array.isArray(logprobs[kind]) && logprobs[kind].length) {
          this._emit(
            `logprobs.${kind}.delta`,
            lazy(
              { [kind]: logprobs[kind] },
              {
                snapshot: () => ((choiceAt(index) || {}).logprobs || {})[kind] || [],
              }
            )
          );
        }
      }
      for (const call of delta.tool_calls || []) this.#onToolCallDelta(index, call, tools, choiceAt);
    }
  }

  #onToolCallDelta(choiceIndex, call, tools, choiceAt) {
    const seen = tools.get(choiceIndex) || [];
    tools.set(choiceIndex, seen);
    if (!seen.includes(call.index)) {
      // A new call starts: the previous one is complete (openai-node emits its .done here).
      if (seen.length) this.#emitToolDone(choiceIndex, seen[seen.length - 1], seen, choiceAt(choiceIndex));
      seen.push(call.index);
      seen.sort((a, b) => a - b);
    }
    const argumentsDelta = call.function && call.function.arguments;
    if (!argumentsDelta || !this.listening('tool_calls.function.arguments.delta')) return;
    const snapshotCall = () => toolCallAt(choiceAt(choiceIndex), seen, call.index);
    this._emit(
      'tool_calls.function.arguments.delta',
      lazy(
        { index: call.index, arguments_delta: argumentsDelta },
        {
          name: () => snapshotCall().name,
          arguments: () => snapshotCall().arguments,
          parsed_arguments: () => partialParse(this.#core, snapshotCall().arguments),
        }
      )
    );
  }

  #emitToolDone(choiceIndex, callIndex, seen, choice) {
    const call = toolCallAt(choice, seen, callIndex);
    let parsed;
    try {
      parsed = call.arguments ? JSON.parse(call.arguments) : undefined;
    } catch {
      parsed = undefined; // arguments that are not JSON stay available as text
    }
    this._emit('tool_calls.function.arguments.done', {
      index: callIndex,
      name: call.name,
      arguments: call.arguments,
      parsed_arguments: parsed,
    });
    seen.done = (seen.done || 0) + 1;
  }

  #onEnd(completion, tools) {
    const final = hasResponseFormat(this.#params) ? parseCompletion(this.#core, this.#params, completion) : completion;
    this.#final = final;
    for (const choice of final.choices || []) {
      const message = choice.message || {};
      if (typeof message.content === 'string')
        this._emit('content.done', { content: message.content, parsed: message.parsed === undefined ? null : message.parsed });
      if (typeof message.refusal === 'string') this._emit('refusal.done', { refusal: message.refusal });
      const logprobs = choice.logprobs || {};
      if (Array.isArray(logprobs.content)) this._emit('logprobs.content.done', { content: logprobs.content });
      if (Array.isArray(logprobs.refusal)) this._emit('logprobs.refusal.done', { refusal: logprobs.refusal });
      const seen = tools.get(choice.index) || [];
      for (let i = seen.done || 0; i < seen.length; i += 1) this.#emitToolDone(choice.index, seen[i], seen, choice);
    }
    const message = final.choices[0] ? final.choices[0].message : undefined;
    if (message) this._emit('message', message);
    this._emit('chatCompletion', final);
    if (message) {
      this._emit('finalMessage', message);
      if (typeof message.content === 'string') this._emit('finalContent', message.content);
    }
    this._emit('finalChatCompletion', final);
    if (final.usage) this._emit('totalUsage', final.usage);
    return final;
  }
}

// Tool calls of a snapshot are ordered by their delta index; `seen` holds those indexes sorted.
function toolCallAt(choice, seen, callIndex) {
  const calls = (choice && choice.message && choice.message.tool_calls) || [];
  const call = calls[seen.indexOf(callIndex)];
  return call && call.function ? call.function : { name: '', arguments: '' };
}
