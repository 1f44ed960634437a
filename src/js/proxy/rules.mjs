// Pure rules of the key-safe proxy (inputs → decision, no I/O, no Node built-ins): allowed hosts, forwarded parameters, key scrubbing.
import { HttpError } from './http-error.mjs';

// The chat parameters the proxy forwards: LLMBase's documented ones (llmbase-api.md §3.1-3.3,
// `chat_template_kwargs` arriving through extra_body) plus the OpenAI request fields
// (openai-openapi-chat.json, CreateChatCompletionRequest) that cannot raise the cost or reach
// other services. Left out on purpose: `n` (multiplies the output past the max_tokens cap),
// `service_tier` (priced tiers), `web_search_options`, `audio`/`modalities`, `prediction`, `store`,
// `metadata`, `functions`/`function_call`, `moderation`. An operator lets more through with
// --allow-params; anything else is refused with 400, never silently dropped.
export const FORWARDED_CHAT_PARAMS = Object.freeze([
  'model',
  'messages',
  'stream',
  'temperature',
  'top_p',
  'max_tokens',
  'max_completion_tokens',
  'frequency_penalty',
  'presence_penalty',
  'stop',
  'seed',
  'tools',
  'tool_choice',
  'response_format',
  'reasoning_effort',
  'prompt_cache_key',
  'chat_template_kwargs',
  'stream_options',
  'parallel_tool_calls',
  'logprobs',
  'top_logprobs',
  'user',
  'safety_identifier',
]);

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** The host name of a Host header value ("Example.com:8787" → "example.com", "[::1]:80" → "[::1]"). */
export function hostName(hostHeader) {
  if (typeof hostHeader !== 'string' || hostHeader === '') return null;
  const lower = hostHeader.trim().toLowerCase();
  if (lower.startsWith('[')) {
    const end = lower.indexOf(']');
    return end === -1 ? null : lower.slice(0, end + 1);
  }
  const colon = lower.indexOf(':');
  return colon === -1 ? lower : lower.slice(0, colon);
}

const isIpLiteral = (name) => /^\d{1,3}(\.\d{1,3}){3}$/.test(name) || name.startsWith('[');

/**
 * Whether a request's Host may be answered (DNS rebinding): loopback names, IP literals (a page can
 * only have an IP origin by being loaded from that address, so no foreign name points at it), the
 * configured public names, or any host when the operator listed "*".
 */
export function hostAllowed(hostHeader, allowedHosts) {
  if (allowedHosts.any) return true;
  const name = hostName(hostHeader);
  if (!name) return false;
  return LOOPBACK_NAMES.has(name) || name.endsWith('.localhost') || isIpLiteral(name) || allowedHosts.names.includes(name);
}

/** The 403 for a Host the proxy does not answer to (DNS rebinding), before anything else is looked at. */
export function hostRefusal() {
  return new HttpError(
    403,
    'host_not_allowed',
    'This proxy does not answer to that host name. Its operator can add a public name with --allowed-hosts proxy.example.com.',
    { type: 'permission_error' }
  );
}

/**
 * The proxy's own page origins, computed from its configuration (never from request headers):
 * each allowed name at the listening port over http, and without a port over https and http (a
 * TLS-terminating front in front of the proxy).
 */
export function selfOrigins(allowedHosts, port) {
  const names = ['127.0.0.1', 'localhost', '[::1]', ...allowedHosts.names];
  return names.flatMap((name) => [`http://${name}:${port}`, `http://${name}`, `https://${name}`]);
}

/**
 * The body the upstream gets: `extra_body` merged into the top level first (its keys win, as in
 * the OpenAI SDKs and the core's build_request), so the cap and the model allow-list see what is
 * really sent; then every parameter outside the forwarded list refused, naming it and the fix.
 */
export function forwardedBody(body, allowParams) {
  const merged = { ...body };
  if (Object.hasOwn(merged, 'extra_body')) {
    const extra = merged.extra_body;
    delete merged.extra_body;
    if (extra !== null && extra !== undefined && (typeof extra !== 'object' || Array.isArray(extra))) {
      throw new HttpError(400, 'invalid_extra_body', 'extra_body must be an object whose keys join the request body.', {
        param: 'extra_body',
      });
    }
    Object.assign(merged, extra ?? {});
  }
  for (const name of Object.keys(merged)) {
    if (!FORWARDED_CHAT_PARAMS.includes(name) && !allowParams.includes(name)) {
      throw new HttpError(
        400,
        'parameter_not_allowed',
        `This proxy does not forward the parameter ${JSON.stringify(name)}; remove it, or the operator can allow it with --allow-params ${name}.`,
        { param: name }
      );
    }
  }
  return merged;
}

/**
 * The text a scrubbed key becomes: the core's redact_secret form (src/core/error.cpp); `ascii` for
 * header values, which must stay Latin-1 (so "..." instead of "…").
 */
export function redactedForm(key, ascii = false) {
  return `${key.slice(0, 8)}${ascii ? '...' : '…'}[redacted]`;
}

/** Every occurrence of `key` in `text` redacted. */
export function scrubText(text, key, ascii = false) {
  return typeof text === 'string' ? text.split(key).join(redactedForm(key, ascii)) : text;
}

const utf8 = new TextEncoder();
const text = new TextDecoder();

/** The byte arrays `parts` as one Uint8Array. */
export function concatBytes(parts) {
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function indexOfBytes(data, needle, from) {
  const first = needle[0];
  for (let at = data.indexOf(first, from); at !== -1 && at + needle.length <= data.length; at = data.indexOf(first, at + 1)) {
    let k = 1;
    while (k < needle.length && data[at + k] === needle[k]) k += 1;
    if (k === needle.length) return at;
  }
  return -1;
}

/**
 * Streaming key scrubber for bodies passed through (Uint8Array in, Uint8Array out; Node Buffers
 * are Uint8Arrays): push(chunk) returns the bytes that are safe to send now. Only a chunk's tail
 * that could be the start of the key is held back until the next chunk (an SSE event ends in
 * "\n\n", so normally nothing waits); flush() returns the rest.
 */
export class KeyScrubber {
  #key;
  #shown;
  #pending = new Uint8Array(0);

  constructor(key) {
    this.#key = utf8.encode(key);
    this.#shown = utf8.encode(redactedForm(key));
  }

  push(chunk) {
    const data = this.#pending.length ? concatBytes([this.#pending, chunk]) : chunk;
    let at = indexOfBytes(data, this.#key, 0);
    const keep = this.#heldBack(data);
    if (at === -1 && keep === 0) {
      this.#pending = new Uint8Array(0);
      return data; // the common case: nothing to redact, nothing held, no copy
    }
    const parts = [];
    let from = 0;
    for (; at !== -1; at = indexOfBytes(data, this.#key, from)) {
      parts.push(data.subarray(from, at), this.#shown);
      from = at + this.#key.length;
    }
    const rest = data.subarray(from);
    const held = this.#heldBack(rest);
    parts.push(rest.subarray(0, rest.length - held));
    this.#pending = rest.slice(rest.length - held);
    return concatBytes(parts);
  }

  flush() {
    const rest = this.#pending;
    this.#pending = new Uint8Array(0);
    return rest;
  }

  // Length of the longest tail of `bytes` that is a proper prefix of the key.
  #heldBack(bytes) {
    for (let k = Math.min(bytes.length, this.#key.length - 1); k > 0; k -= 1) {
      let same = true;
      for (let i = 0; i < k && same; i += 1) same = bytes[bytes.length - k + i] === this.#key[i];
      if (same) return k;
    }
    return 0;
  }
}

// The field holding the streamed text of each delta chunk of the UI message stream (ai@7 UIMessageChunk).
const UI_DELTA_FIELDS = { 'text-delta': 'delta', 'reasoning-delta': 'delta', 'tool-input-delta': 'inputTextDelta' };

/**
 * Key scrubbing for the UI message stream, where the key can be split between two deltas of one
 * part (a text, a reasoning or a tool input): each part's deltas go through their own KeyScrubber,
 * and what a part held back is sent as one more delta before the next chunk that is not a delta
 * (its end, or the finish). push(chunk) returns the chunks to send; whole chunks still go through
 * scrubText when they are serialised.
 */
export class UiChunkScrubber {
  #key;
  #parts = new Map(); // part id → { scrubber, chunk: the last delta chunk of that part }

  constructor(key) {
    this.#key = key;
  }

  push(chunk) {
    const field = UI_DELTA_FIELDS[chunk.type];
    if (!field) return [...this.#flush(), chunk];
    const id = chunk.type === 'tool-input-delta' ? chunk.toolCallId : chunk.id;
    let part = this.#parts.get(id);
    if (!part) {
      part = { scrubber: new KeyScrubber(this.#key), chunk };
      this.#parts.set(id, part);
    }
    part.chunk = chunk;
    const safe = text.decode(part.scrubber.push(utf8.encode(String(chunk[field]))));
    return safe ? [{ ...chunk, [field]: safe }] : [];
  }

  // The held-back tails, each as a delta of its part. Held bytes are a prefix of the (ASCII) key,
  // so they never split a UTF-8 sequence.
  #flush() {
    const out = [];
    for (const { scrubber, chunk } of this.#parts.values()) {
      const rest = text.decode(scrubber.flush());
      if (rest) out.push({ ...chunk, [UI_DELTA_FIELDS[chunk.type]]: rest });
    }
    this.#parts.clear();
    return out;
  }
}
