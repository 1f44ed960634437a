// The proxy's useChat route (POST /ui/chat): a UI message request in, the AI SDK's UI message stream (SSE, x-vercel-ai-ui-message-stream: v1) out, as a fetch Response.
//
// The request passes the same gates as POST /v1/chat/completions (Host, origin, rate limit, body
// depth, parameter list, model allow-list, max_tokens cap, shared validation: the proxy's `admit`),
// then goes upstream through the LLMBase client, whose wasm core decodes the SSE, with the proxy's
// upstream timeouts. The key is scrubbed from everything sent back, as on /v1. Each chunk becomes UI message chunks
// (ai@7 UIMessageChunk): start, start-step, reasoning-*, text-*, tool-input-start/-delta,
// tool-input-available, finish-step, finish with usage in messageMetadata, or error; then [DONE].
import { LLMBase } from '../client.mjs';
import { APIConnectionError, APIConnectionTimeoutError, APIError, IdleTimeoutError } from '../errors.mjs';
import { StreamParts, unifiedFinishReason } from '../ai-sdk-stream-parts.mjs';
import { HttpError } from './http-error.mjs';
import { chatBodyFromUiRequest } from './ui-messages.mjs';
import { unreachable, UpstreamTimeout } from './upstream.mjs';
import { LLMBASE_RESPONSE_HEADERS } from '../api-headers.mjs';
import { scrubText, UiChunkScrubber } from './rules.mjs';

export const UI_CHAT_PATH = '/ui/chat';

// The headers of the UI message stream protocol (ai@7 UI_MESSAGE_STREAM_HEADERS).
const UI_STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  'x-vercel-ai-ui-message-stream': 'v1',
  'x-accel-buffering': 'no',
};

/**
 * A failed upstream call as the proxy's HTTP error: the upstream's status and words, never more.
 * The client's core already redacted the key from the error's fields; the proxy scrubs the body it
 * sends again, and `key` is scrubbed from the retry headers here.
 */
function upstreamFailure(error, key, idleTimeoutMs) {
  if (error instanceof APIError && error.status) {
    const headers = {};
    for (const name of ['retry-after', 'retry-after-ms']) {
      if (error.headers && error.headers[name]) headers[name] = scrubText(error.headers[name], key, true);
    }
    return new HttpError(error.status, error.code || 'upstream_error', error.message, {
      param: error.param || null,
      type: error.type,
      headers,
    });
  }
  if (error instanceof IdleTimeoutError) return unreachable(new UpstreamTimeout('upstream_idle_timeout', idleTimeoutMs));
  if (error instanceof APIConnectionTimeoutError)
    return new HttpError(504, 'upstream_timeout', 'The upstream API did not answer in time. Try again in a moment.');
  if (error instanceof APIConnectionError)
    return new HttpError(502, 'upstream_unreachable', 'The upstream API could not be reached. Try again in a moment.');
  return error;
}

/** A provider stream part (ai-sdk-stream-parts.mjs) as a UI message chunk, or null when the protocol has none. */
function uiChunk(part) {
  switch (part.type) {
    case 'tool-input-start':
      return { type: 'tool-input-start', toolCallId: part.id, toolName: part.toolName };
    case 'tool-input-delta':
      return { type: 'tool-input-delta', toolCallId: part.id, inputTextDelta: part.delta };
    case 'tool-input-end':
      return null; // the UI protocol ends a tool input with tool-input-available
    case 'tool-call': {
      try {
        return { type: 'tool-input-available', toolCallId: part.toolCallId, toolName: part.toolName, input: JSON.parse(part.input) };
      } catch {
        return {
          type: 'tool-input-error',
          toolCallId: part.toolCallId,
          toolName: part.toolName,
          input: part.input,
          errorText: `The model called ${part.toolName} with arguments that are not valid JSON.`,
        };
      }
    }
    default:
      return part; // text-*, reasoning-*: same fields in both protocols
  }
}

const utf8 = new TextEncoder();

/**
 * The UI message stream of `stream` as a Response body. `headers` already holds the proxy's
 * CORS headers; `onEnd(outcome, completion)` is called once ('done', 'error' or 'cancelled').
 */
function uiStreamResponse(stream, key, headers, upstream, onEnd) {
  for (const [name, value] of Object.entries(UI_STREAM_HEADERS)) headers.set(name, value);
  // The same x-llmbase-* headers as /v1, by exact name, scrubbed (upstream.mjs passedHeaders).
  stream.response.headers.forEach((value, name) => {
    if (LLMBASE_RESPONSE_HEADERS.includes(name)) headers.set(name, scrubText(value, key, true));
  });
  const scrubber = new UiChunkScrubber(key);
  let cancelled = false;
  const body = new ReadableStream({
    async start(controller) {
      const send = (chunk) => {
        if (!chunk || cancelled) return;
        for (const safe of scrubber.push(chunk)) controller.enqueue(utf8.encode(`data: ${scrubText(JSON.stringify(safe), key)}\n\n`));
      };
      send({ type: 'start' });
      send({ type: 'start-step' });
      const parts = new StreamParts();
      let completion = null;
      try {
        for await (const chunk of stream) parts.fromChunk(chunk).forEach((part) => send(uiChunk(part)));
        completion = await stream.finalChatCompletion();
        parts.finish(completion).forEach((part) => send(uiChunk(part)));
        send({ type: 'finish-step' });
        const choice = completion.choices && completion.choices[0];
        send({
          type: 'finish',
          finishReason: unifiedFinishReason(choice && choice.finish_reason),
          messageMetadata: { model: completion.model, usage: completion.usage || null },
        });
      } catch (error) {
        if (cancelled) return; // the page went away; the upstream call was aborted
        // A stream cut short or an error frame: said in the stream, as the protocol has it.
        send({ type: 'error', errorText: error.message });
      }
      if (cancelled) return;
      controller.enqueue(utf8.encode('data: [DONE]\n\n'));
      controller.close();
      onEnd(completion ? 'done' : 'error', completion);
    },
    cancel() {
      cancelled = true;
      upstream.abort();
      onEnd('cancelled', null);
    },
  });
  return new Response(body, { status: 200, headers });
}

/** The route, built by the proxy with its `admit(body, ctx)` gate (returns the body to send) and its stats. */
export class UiChatRoute {
  #options;
  #admit;
  #stats;
  #client;

  constructor(options, { admit, stats }) {
    this.#options = options;
    this.#admit = admit;
    this.#stats = stats;
    // admit() has validated the request; like /v1, the proxy does not retry on the page's behalf.
    // idleTimeout: the proxy's upstream idle limit, before the headers and between chunks.
    this.#client = new LLMBase({
      apiKey: options.apiKey,
      baseURL: options.upstream,
      validation: 'off',
      maxRetries: 0,
      idleTimeout: options.upstreamIdleTimeout,
      defaultHeaders: { 'user-agent': 'llmbase-wasm-proxy' },
    });
  }

  /**
   * Answers the parsed useChat `request` (after the proxy's Host, origin and rate gates). `ctx`:
   * the request's context (the gates fill in model; `onEnd(outcome, completion)` meters the call).
   */
  async handle(request, ctx, headers, fallback) {
    const allowed = this.#options.allowModels;
    // With an allow-list the page may leave the model out: the first allowed model answers.
    const asked = chatBodyFromUiRequest(request, allowed ? allowed.values().next().value : undefined, this.#options.allowParams);
    const body = await this.#admit(asked, ctx); // as sent: the proxy's parameter list, model list, cap, validation
    body.stream = true;
    const upstream = new AbortController();
    const { apiKey, upstreamHeadersTimeout, upstreamIdleTimeout } = this.#options;
    // The headers limit as on /v1 (upstream.mjs fetchUpstream): the call is abandoned, 504.
    let late = null;
    const headersTimer = setTimeout(() => {
      late = new UpstreamTimeout('upstream_headers_timeout', upstreamHeadersTimeout);
      upstream.abort();
    }, upstreamHeadersTimeout);
    ctx.signal?.addEventListener('abort', () => upstream.abort(), { once: true });
    let stream;
    try {
      stream = await this.#client.chat.completions.create(body, {
        signal: upstream.signal,
        fallback: typeof fallback === 'string' && fallback.trim().toLowerCase() === 'off' ? false : undefined,
      });
    } catch (error) {
      if (late) throw unreachable(late);
      if (upstream.signal.aborted) throw new HttpError(499, 'client_closed', 'The client closed the request.');
      throw upstreamFailure(error, apiKey, upstreamIdleTimeout);
    } finally {
      clearTimeout(headersTimer);
    }
    this.#stats.forwarded += 1;
    ctx.pending = true;
    return uiStreamResponse(stream, apiKey, headers, upstream, ctx.onEnd);
  }

  close() {
    this.#client.close();
  }
}
