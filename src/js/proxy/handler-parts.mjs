// Pieces of the fetch-handler proxy: the metadata cache, bounded body reading and the access-log line.
import { DRAIN_LIMIT_BYTES, HttpError } from './http-error.mjs';
import { concatBytes } from './rules.mjs';

/** The upstream metadata list, fetched with the key and cached; concurrent callers share one fetch. */
export class MetadataCache {
  #load;
  #ttl;
  #value = null;
  #at = 0;
  #pending = null;
  lastError = null;

  constructor(load, ttl) {
    this.#load = load;
    this.#ttl = ttl;
  }

  /** The list, or null when it cannot be had (the last good list is kept through a failed refresh). */
  get() {
    if (this.#value && Date.now() - this.#at < this.#ttl) return Promise.resolve(this.#value);
    this.#pending ??= this.#load()
      .then((value) => {
        this.#value = value;
        this.#at = Date.now();
        this.lastError = null;
        return value;
      })
      .catch((error) => {
        this.lastError = error;
        return this.#value;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }
}

// Decisions §1: the list may sit under `data`, under `models`, or be a top-level array.
export function metadataList(body) {
  const list = Array.isArray(body) ? body : (body?.data ?? body?.models);
  return Array.isArray(list) ? list.filter((entry) => entry && typeof entry.id === 'string') : null;
}

/**
 * The whole request body as text, at most `limit` bytes. An oversized body is read on (up to a
 * cap) before the 413, so the client reads a clean answer instead of a reset while it still sends.
 */
export async function readBodyText(request, limit) {
  if (!request.body) return '';
  const reader = request.body.getReader();
  const chunks = [];
  let size = 0;
  for (;;) {
    let next;
    try {
      next = await reader.read();
    } catch {
      throw new HttpError(400, 'client_closed', 'The client closed the connection while sending the body.');
    }
    if (next.done) break;
    size += next.value.length;
    if (size <= limit) chunks.push(next.value);
    else chunks.length = 0;
    if (size > DRAIN_LIMIT_BYTES) {
      await reader.cancel().catch(() => {});
      break;
    }
  }
  if (size > limit) throw new HttpError(413, 'request_too_large', `Request body is ${size} bytes; the limit is ${limit} bytes.`);
  return new TextDecoder().decode(concatBytes(chunks));
}

/**
 * One access-log line: time, route, model, status, tokens, cost, duration. Never a header (the
 * browser's or the key), never the query, and the prompt only when the operator opted in.
 */
export function accessEntry(ctx, { status, started, outcome, metered, method, logPrompts }) {
  const usage = metered?.completion?.usage;
  const entry = {
    time: new Date(started).toISOString(),
    requestId: ctx.requestId,
    method,
    route: ctx.route,
    url: ctx.route, // the path only (kept under its old name too)
    status,
    model: ctx.model,
    tokens: usage
      ? { prompt: usage.prompt_tokens ?? null, completion: usage.completion_tokens ?? null, total: usage.total_tokens ?? null }
      : null,
    costUSD: metered?.cost?.usd ?? null,
    durationMs: Date.now() - started,
    completed: outcome === 'done',
  };
  if (logPrompts && ctx.messages) entry.messages = ctx.messages;
  return entry;
}
