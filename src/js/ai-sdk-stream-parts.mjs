// Chat-completion chunks → the AI SDK's stream parts (text-*, reasoning-*, tool-input-*, tool-call), shared by the provider and the proxy's useChat route.
//
// The parts follow LanguageModelV4StreamPart (@ai-sdk/provider 4.x). The proxy renames a few fields
// for the UI message stream (src/js/proxy/ui-chat.mjs); the block logic lives here once.

/** OpenAI finish_reason → the AI SDK's unified finish reason (LanguageModelV4FinishReason.unified). */
export function unifiedFinishReason(raw) {
  switch (raw) {
    case 'stop':
      return 'stop';
    case 'length':
      return 'length';
    case 'tool_calls':
    case 'function_call':
      return 'tool-calls';
    case 'content_filter':
      return 'content-filter';
    default:
      return 'other';
  }
}

/** OpenAI usage (cached and reasoning tokens included) → LanguageModelV4Usage. */
export function usageFromCompletion(usage) {
  if (!usage || typeof usage !== 'object') {
    return {
      inputTokens: { total: undefined, noCache: undefined, cacheRead: undefined, cacheWrite: undefined },
      outputTokens: { total: undefined, text: undefined, reasoning: undefined },
    };
  }
  const input = numberOr(usage.prompt_tokens);
  const output = numberOr(usage.completion_tokens);
  const cached = numberOr(usage.prompt_tokens_details && usage.prompt_tokens_details.cached_tokens);
  const reasoning = numberOr(usage.completion_tokens_details && usage.completion_tokens_details.reasoning_tokens);
  return {
    inputTokens: {
      total: input,
      noCache: input !== undefined ? input - (cached || 0) : undefined,
      cacheRead: cached,
      cacheWrite: undefined, // LLMBase reports no cache writes (llmbase-api.md §9)
    },
    outputTokens: {
      total: output,
      text: output !== undefined ? output - (reasoning || 0) : undefined,
      reasoning,
    },
    raw: usage,
  };
}

function numberOr(value) {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** A tool call's JSON arguments; a call without arguments means `{}` (a tool with no parameters). */
export function toolInput(args) {
  return typeof args === 'string' && args.trim() !== '' ? args : '{}';
}

/**
 * Turns the chunks of one streamed completion into stream parts. Blocks open and close in output
 * order: reasoning, then text, then tool inputs (a new kind of block closes the one before). The
 * tool calls themselves come from the completion the core accumulated, at finish().
 */
export class StreamParts {
  #open = null; // { kind: 'text' | 'reasoning', id }
  #blocks = 0;
  #tools = new Map(); // delta index → { id, name, ended }

  /** The parts for one chat.completion.chunk. */
  fromChunk(chunk) {
    const parts = [];
    const choice = chunk && Array.isArray(chunk.choices) ? chunk.choices[0] : undefined;
    const delta = choice && choice.delta;
    if (!delta) return parts;
    const reasoning = typeof delta.reasoning_content === 'string' ? delta.reasoning_content : delta.reasoning;
    if (typeof reasoning === 'string' && reasoning !== '') this.#append(parts, 'reasoning', reasoning);
    if (typeof delta.content === 'string' && delta.content !== '') this.#append(parts, 'text', delta.content);
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) this.#toolDelta(parts, call);
    }
    return parts;
  }

  /**
   * Closes what is open and emits one tool-call per tool call of the accumulated `completion`
   * (the core joined their argument deltas), matched to the streamed inputs by position.
   */
  finish(completion) {
    const parts = [];
    this.#close(parts);
    const streamed = [...this.#tools.values()];
    for (const tool of streamed) {
      if (!tool.ended) parts.push({ type: 'tool-input-end', id: tool.id });
    }
    const message = completion && completion.choices && completion.choices[0] ? completion.choices[0].message : null;
    const calls = message && Array.isArray(message.tool_calls) ? message.tool_calls : [];
    calls.forEach((call, position) => {
      const fn = call.function || {};
      parts.push({
        type: 'tool-call',
        toolCallId: call.id || (streamed[position] && streamed[position].id) || `call_${position}`,
        toolName: fn.name,
        input: toolInput(fn.arguments),
      });
    });
    return parts;
  }

  #append(parts, kind, delta) {
    if (!this.#open || this.#open.kind !== kind) {
      this.#close(parts);
      this.#open = { kind, id: `${kind === 'text' ? 'txt' : 'reasoning'}-${this.#blocks}` };
      this.#blocks += 1;
      parts.push({ type: `${kind}-start`, id: this.#open.id });
    }
    parts.push({ type: `${kind}-delta`, id: this.#open.id, delta });
  }

  #close(parts) {
    if (this.#open) parts.push({ type: `${this.#open.kind}-end`, id: this.#open.id });
    this.#open = null;
  }

  #toolDelta(parts, call) {
    const index = Number.isInteger(call.index) ? call.index : this.#tools.size;
    const fn = call.function || {};
    let tool = this.#tools.get(index);
    if (!tool) {
      this.#close(parts);
      // A call that starts ends the input of the one before (OpenAI streams them one after another).
      for (const other of this.#tools.values()) {
        if (!other.ended) {
          parts.push({ type: 'tool-input-end', id: other.id });
          other.ended = true;
        }
      }
      tool = { id: call.id || `call_${index}`, name: fn.name, ended: false };
      this.#tools.set(index, tool);
      parts.push({ type: 'tool-input-start', id: tool.id, toolName: fn.name });
    }
    if (typeof fn.arguments === 'string' && fn.arguments !== '') {
      parts.push({ type: 'tool-input-delta', id: tool.id, delta: fn.arguments });
    }
  }
}
