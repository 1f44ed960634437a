// chat.completions.stream / runTools / parse: openai-node's helpers, built on create() and the core.
import { loadFullCore } from './core-loader.mjs';
import { InvalidArgumentError } from './errors.mjs';
import { ChatCompletionStreamRunner } from './chat-completion-runner.mjs';
import { parseCompletion, refuseUncheckableSchema } from './structured-output.mjs';
import { ChatCompletionToolRunner } from './tool-runner.mjs';

function followSignal(runner, options) {
  const own = options && options.signal;
  if (!own) return;
  if (own.aborted) runner.abort();
  else own.addEventListener('abort', () => runner.abort(), { once: true });
}

/** A runner source over a live ChatCompletionStream: its chunks and its final completion. */
export function liveSource(stream) {
  return {
    response: stream.response,
    iterator: stream[Symbol.asyncIterator](),
    final: () => stream.finalChatCompletion(),
    released: () => stream.released,
    abort: () => stream.controller.abort(),
  };
}

function checkParams(method, params) {
  if (!params || typeof params !== 'object' || Array.isArray(params)) {
    throw new InvalidArgumentError(`chat.completions.${method}(params): params must be an object with model and messages.`, {
      param: 'params',
    });
  }
}

/** The helper methods added to `client.chat.completions`, over its `create`. */
export function completionsHelpers(completions) {
  const startStream = (params, options) => (signal) =>
    completions.create({ ...params, stream: true }, { ...(options || {}), signal }).then(liveSource);
  return {
    /** A ChatCompletionStreamRunner: for-await over chunks plus openai-node's events. */
    stream(params, options) {
      checkParams('stream', params);
      const runner = new ChatCompletionStreamRunner(startStream(params, options), params);
      followSignal(runner, options);
      return runner;
    },

    /** The completion with `message.parsed`, validated against response_format's schema by the core. */
    async parse(params, options) {
      checkParams('parse', params);
      if (params.stream) {
        throw new InvalidArgumentError(
          'chat.completions.parse() does not stream; use chat.completions.stream() with the same response_format, whose content.delta events carry `parsed`.',
          { param: 'stream' }
        );
      }
      const core = await loadFullCore();
      refuseUncheckableSchema(core, params);
      return parseCompletion(core, params, await completions.create(params, options));
    },

    /** Runs the model's tool calls until it answers, driven by the core's tool loop. */
    runTools(params, options = {}) {
      checkParams('runTools', params);
      const runner = new ChatCompletionToolRunner(params, options, {
        complete: (request, signal) => completions.create(request, { ...options, signal }),
        stream: (request) => new ChatCompletionStreamRunner(startStream(request, options), request),
      });
      followSignal(runner, options);
      return runner;
    },
  };
}
