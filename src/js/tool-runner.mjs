// chat.completions.runTools(): runs the model's tool calls until it answers, as the core's ToolLoop decides.
import { loadFullCore } from './core-loader.mjs';
import { APIUserAbortError, InvalidArgumentError, ToolLoopError } from './errors.mjs';
import { RunnerEvents } from './runner-events.mjs';

// Stream-runner events a streaming tool run passes on to its own listeners.
const FORWARDED = [
  'connect',
  'chunk',
  'content',
  'content.delta',
  'content.done',
  'refusal.delta',
  'refusal.done',
  'tool_calls.function.arguments.delta',
  'tool_calls.function.arguments.done',
  'logprobs.content.delta',
  'logprobs.content.done',
  'logprobs.refusal.delta',
  'logprobs.refusal.done',
];

/**
 * name → { run, parse } of the tools. Only what the core cannot see is checked here (it gets the
 * tools as JSON, without their functions): that each tool has a function to run.
 */
function runnableTools(tools) {
  const byName = new Map();
  (Array.isArray(tools) ? tools : []).forEach((tool, i) => {
    const fn = tool && tool.function;
    if (!fn || typeof fn.function !== 'function') {
      throw new InvalidArgumentError(
        `runTools(params): tools[${i}].function.function must be the function to run, e.g. { type: "function", function: { name, parameters, function: async (args) => result } }.`,
        { param: `tools[${i}].function.function` }
      );
    }
    if (fn.parse !== undefined && typeof fn.parse !== 'function') {
      throw new InvalidArgumentError(`runTools(params): tools[${i}].function.parse must be a function (e.g. JSON.parse) when given.`, {
        param: `tools[${i}].function.parse`,
      });
    }
    byName.set(fn.name, { run: fn.function, parse: fn.parse });
  });
  return byName;
}

function addUsage(total, usage) {
  if (!usage) return total;
  return {
    prompt_tokens: total.prompt_tokens + (usage.prompt_tokens || 0),
    completion_tokens: total.completion_tokens + (usage.completion_tokens || 0),
    total_tokens: total.total_tokens + (usage.total_tokens || 0),
  };
}

function loopError(step, completion) {
  const record = step.error || { code: 'tool_loop', message: 'The tool loop stopped.' };
  if (record.code === 'invalid_params')
    return new InvalidArgumentError(`runTools(): ${record.message}`, { code: record.code, kind: 'tool_loop' });
  return new ToolLoopError(record, completion ? { partial: completion } : {});
}

/** What a tool returned, as the text of its tool message. */
function resultText(value) {
  if (typeof value === 'string') return value;
  const text = JSON.stringify(value);
  return text === undefined ? '' : text;
}

/**
 * openai-node's ChatCompletionRunner / ChatCompletionStreamingRunner: events `message`,
 * `chatCompletion`, `functionToolCall`, `functionToolCallResult`, `content` (streaming), `end`;
 * final*() getters. Which calls run, what goes back and when to stop are the core's decisions.
 */
export class ChatCompletionToolRunner extends RunnerEvents {
  #completions = [];
  #messages = [];
  #seen = 0; // messages already emitted (the caller's own count as seen)
  #calls = [];
  #results = [];

  constructor(params, options, { complete, stream }) {
    super();
    const tools = runnableTools(params.tools);
    this.#messages = Array.isArray(params.messages) ? [...params.messages] : [];
    this.#seen = this.#messages.length;
    // The core checks these limits (and refuses bad ones with an invalid_params error step).
    const limits = { maxChatCompletions: options.maxChatCompletions, maxRepairs: options.maxRepairs };
    this._run(async (signal) => {
      const core = await loadFullCore();
      // JSON.stringify drops the tools' functions: the core sees only names and schemas.
      const loop = new core.ToolLoop(JSON.stringify(params), JSON.stringify(limits));
      try {
        return await this.#drive(loop, tools, signal, complete, stream);
      } finally {
        loop.delete();
      }
    });
  }

  async #drive(loop, tools, signal, complete, stream) {
    for (;;) {
      const text = loop.nextRequest();
      if (text === '') throw loopError(JSON.parse(loop.status()));
      const request = JSON.parse(text);
      const completion = request.stream ? await this.#streamed(stream(request), signal) : await complete(request, signal);
      this.#completions.push(completion);
      const step = JSON.parse(loop.onCompletion(JSON.stringify(completion)));
      this.#syncMessages(loop);
      this._emit('chatCompletion', completion);
      if (step.kind === 'done') return this.#finish(completion);
      if (step.kind === 'error') throw loopError(step, completion);
      for (const call of step.calls) {
        const record = { name: call.name, arguments: call.arguments };
        this.#calls.push(record);
        this._emit('functionToolCall', record);
      }
      // Calls with invalid arguments were answered by the core; the valid ones run in parallel.
      const results = await Promise.all(step.calls.filter((call) => call.valid).map((call) => this.#runCall(call, tools, signal)));
      if (signal.aborted) throw new APIUserAbortError('Request was aborted.');
      for (const result of results) {
        if (result.failed) loop.addToolError(result.id, result.content);
        else loop.addToolResult(result.id, result.content);
      }
      for (const message of this.#syncMessages(loop)) {
        this.#results.push(message.content);
        this._emit('functionToolCallResult', message.content);
      }
    }
  }

  // Errors a tool throws become its result ("Error: …") so that the model can correct itself;
  // the core counts those rounds against maxRepairs.
  async #runCall(call, tools, signal) {
    const tool = tools.get(call.name);
    try {
      const args = tool.parse ? await tool.parse(call.arguments) : call.arguments;
      return { id: call.id, content: resultText(await tool.run(args, this, signal)), failed: false };
    } catch (error) {
      return { id: call.id, content: error && error.message ? error.message : String(error), failed: true };
    }
  }

  // The conversation is the core's; new messages (the reply, then the tool results) are emitted.
  #syncMessages(loop) {
    const messages = JSON.parse(loop.messages());
    const added = messages.slice(this.#seen);
    this.#seen = messages.length;
    this.#messages = messages;
    for (const message of added) this._emit('message', message);
    return added.filter((m) => m.role === 'tool');
  }

  // A streaming step: the stream runner's events are passed on to whoever listens here.
  async #streamed(inner, signal) {
    for (const event of FORWARDED) {
      if (!this.listening(event)) continue;
      if (this.wantsArgument(event, 1)) inner.on(event, (a, b) => this._emit(event, a, b));
      else inner.on(event, (a) => this._emit(event, a));
    }
    const onAbort = () => inner.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await inner.finalChatCompletion();
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  #finish(completion) {
    const message = completion.choices[0] ? completion.choices[0].message : undefined;
    if (message) {
      this._emit('finalMessage', message);
      if (typeof message.content === 'string') this._emit('finalContent', message.content);
    }
    this._emit('finalChatCompletion', completion);
    this._emit('totalUsage', this.#totalUsage());
    return completion;
  }

  #totalUsage() {
    return this.#completions.reduce((total, c) => addUsage(total, c.usage), { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 });
  }

  /** The conversation so far: the request's messages, then each reply and tool result. */
  get messages() {
    return [...this.#messages];
  }

  async allChatCompletions() {
    await this._settled();
    return [...this.#completions];
  }

  /** Usage summed over every completion of the run. */
  async totalUsage() {
    await this._settled();
    return this.#totalUsage();
  }

  async finalFunctionToolCall() {
    await this._settled();
    return this.#calls[this.#calls.length - 1];
  }

  async finalFunctionToolCallResult() {
    await this._settled();
    return this.#results[this.#results.length - 1];
  }
}
