// TypeScript declarations of llmbase-wasm (all entry points export the same API).

import type {
  ChatCompletionStreamRunner,
  ChatCompletionToolRunner,
  ParsedChatCompletion,
  RunToolsOptions,
  RunToolsParams,
} from './runners.js';
import type { ChatCompletion, ChatCompletionCreateParams, ChatCompletionStream } from './chat-types.js';
export * from './chat-types.js';
export * from './runners.js';

export declare const DEFAULT_BASE_URL: 'https://api.llmbase.ai/v1';

export interface ClientOptions {
  /** Defaults to process.env.LLMBASE_API_KEY. */
  apiKey?: string;
  /** Defaults to process.env.LLMBASE_BASE_URL, else https://api.llmbase.ai/v1. */
  baseURL?: string;
  /** A fetch implementation; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** Headers sent with every request. */
  defaultHeaders?: Record<string, string>;
  /** false sends `X-LLMBase-Fallback: off` (no smart fallback to another model). */
  fallback?: boolean;
  /** Retries on connection errors, 408, 409, 429 and >= 500; never after the first streamed byte. Default 2. */
  maxRetries?: number;
  /** Total time limit of a request, retries and streaming included, in ms. Default 600000 (10 min). */
  timeout?: number;
  /** Longest gap without bytes (before the headers and between stream chunks), in ms. Default 60000. */
  idleTimeout?: number;
  /** A server's retry-after hint above this (ms) is ignored in favour of backoff. Default 60000. */
  maxRetryAfterMs?: number;
  /** Requests in flight at once; the rest wait in order. Default 20 (LLMBase's per-account guard). */
  maxConcurrency?: number;
  /** How long models.metadata() is cached, in ms. Default 600000. */
  metadataTTL?: number;
  /**
   * Cap on the text a streamed reply accumulates (content, reasoning, refusal, tool arguments,
   * logprobs), in bytes: past it the stream stops with ReplyTooLargeError, whose `.partial` holds
   * the reply so far. Default 16777216 (16 MiB, 64× the longest reply of a catalog model);
   * Infinity: no cap.
   */
  maxReplyBytes?: number;
  /**
   * Model metadata the caller already has (the body of GET /v1/model-metadata, or its array):
   * validation and pricing use it without a metadata request. Kept until `models.metadata({
   * refresh: true })` or close().
   */
  modelMetadata?: ModelMetadata[] | { data: ModelMetadata[] } | { models: ModelMetadata[] };
  /** Allow an API key in a browser page or browser worker (anyone can read it there). Default false. */
  dangerouslyAllowBrowser?: boolean;
  /**
   * Send requests without a key instead of refusing them: for a base URL that is a proxy adding
   * the key server side (`npx llmbase serve --proxy`), e.g. from a browser widget. Default false.
   */
  allowMissingKey?: boolean;
  /** "error" (default) refuses requests LLMBase would refuse; "warn" sends and reports; "off" skips. */
  validation?: 'error' | 'warn' | 'off';
  /** Refuse a request whose worst-case cost (USD) exceeds this. */
  budgetUSD?: number;
  /** Receives non-blocking findings (and all findings in "warn" mode); nothing is logged by default. */
  onWarning?: (findings: Finding[], params: ChatCompletionCreateParams) => void;
  /** What is logged: debug (requests, retries, timings), info, warn (default), error, off. Default: LLMBASE_LOG, else "warn". */
  logLevel?: LogLevel;
  /** Where log lines go (default console). The key and credential headers are always redacted. */
  logger?: Logger;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'off';
export interface Logger {
  debug(message: string, ...details: unknown[]): void;
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

export interface RequestOptions {
  signal?: AbortSignal;
  /** Merged over defaultHeaders. */
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  fallback?: boolean;
  maxRetries?: number;
  timeout?: number;
  idleTimeout?: number;
  maxRetryAfterMs?: number;
  /** Overrides the client's maxReplyBytes for this call. */
  maxReplyBytes?: number;
  /** Keys merged into the top level of the request body, as the OpenAI SDKs do. */
  extra_body?: Record<string, unknown>;
}

export interface ChatRequestOptions extends RequestOptions {
  validation?: 'error' | 'warn' | 'off';
  /** Parameters whose findings are ignored for this call. */
  allowParams?: string[];
  budgetUSD?: number;
  /**
   * false: a streamed reply's content is handed out in the chunks and not kept, so memory stays
   * flat however long it runs (a relay or a terminal); the final completion's `content` is then
   * null. Default true.
   */
  keepContent?: boolean;
}

/** One problem found before sending. `path` points into the request, e.g. "messages[2].content[1]". */
export interface Finding {
  path: string;
  code: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface ValidationResult {
  ok: boolean;
  findings: Finding[];
}

export interface CostEstimate {
  promptTokens: number;
  maxCompletionTokens: number | null;
  maxCostUSD: number | null;
  priced: boolean;
}

/** The cost of a finished completion (non-enumerable `completion.cost`). */
export interface CompletionCost {
  usd: number | null;
  model: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  priced: boolean;
}

export interface BalanceCheck {
  balance: number;
  currency: string;
  maxCostUSD: number | null;
  /** null when the model is not priced or the balance is not a number. */
  sufficient: boolean | null;
}

/**
 * The wasm cores of this realm (the browser entry may have loaded two: the chat module and, for a
 * schema, parse() or runTools(), the full core): calls held in wasm memory, that memory's size and
 * the bytes in use in it, summed; `modules` = how many were loaded.
 */
export declare function coreDiagnostics(): Promise<{ activeCalls: number; heapBytes: number; heapInUse: number; modules: number }>;

/** Where the wasm core comes from, for hosts whose bundler cannot locate the .wasm file itself. */
export type WasmSource =
  | { module: WebAssembly.Module; bytes?: never; url?: never }
  | { bytes: ArrayBuffer | ArrayBufferView; module?: never; url?: never }
  | { url: string | URL; module?: never; bytes?: never };
/** Sets the wasm source of this realm; call it before the first request. */
export declare function configureWasm(source: WasmSource): void;

/** Validates a request against one model entry or a whole metadata list, offline. */
export declare function validateRequest(
  params: ChatCompletionCreateParams,
  modelMetadata: ModelMetadata | ModelMetadata[] | { data: ModelMetadata[] } | null,
  options?: { allowParams?: string[] }
): Promise<ValidationResult>;

/** Awaits to the result; `.withResponse()` also gives the HTTP response (headers like x-llmbase-served-model). */
export interface APIPromise<T> extends Promise<T> {
  withResponse(): Promise<{ data: T; response: Response; requestId: string | null }>;
  asResponse(): Promise<Response>;
}

export interface Model {
  id: string;
  object: 'model';
  created?: number;
  owned_by?: string;
  [key: string]: unknown;
}

export interface ModelsPage extends AsyncIterable<Model> {
  object: 'list';
  data: Model[];
}

export interface ModelPricing {
  /** USD per 1M prompt tokens. */
  input?: number;
  /** USD per 1M completion tokens. */
  output?: number;
  /** USD per 1M cached prompt tokens. */
  input_cache_read?: number;
  [key: string]: unknown;
}

/** One model of models.metadata(), normalised by the core; unknown fields are kept. */
export interface ModelMetadata {
  id: string;
  supported_features?: string[];
  supported_parameters?: string[];
  input_modalities?: string[];
  output_modalities?: string[];
  context_length?: number;
  max_output_length?: number;
  pricing?: ModelPricing;
  [key: string]: unknown;
}

export interface ModelMetadataList {
  object: 'list';
  data: ModelMetadata[];
  /** Entries dropped because they had no string id. */
  skipped: number;
}

export interface Balance {
  object?: 'balance';
  currency?: string;
  balance?: number;
  [key: string]: unknown;
}

export declare class LLMBase {
  constructor(options?: ClientOptions);
  readonly apiKey: string;
  baseURL: string;
  maxRetries: number;
  timeout: number;
  idleTimeout: number;
  maxRetryAfterMs: number;
  metadataTTL: number;
  /** undefined: the core's default (16 MiB). */
  maxReplyBytes?: number;
  /** Requests in flight and waiting for a slot. */
  readonly concurrency: { active: number; queued: number };
  chat: {
    completions: {
      create(params: ChatCompletionCreateParams & { stream: true }, options?: ChatRequestOptions): APIPromise<ChatCompletionStream>;
      create(params: ChatCompletionCreateParams & { stream?: false }, options?: ChatRequestOptions): APIPromise<ChatCompletion>;
      create(params: ChatCompletionCreateParams, options?: ChatRequestOptions): APIPromise<ChatCompletion | ChatCompletionStream>;
      /** A streaming call with openai-node's events (content, content.delta with `parsed`, tool_calls.*, logprobs.*) and final*() getters. */
      stream<Parsed = null>(params: ChatCompletionCreateParams, options?: ChatRequestOptions): ChatCompletionStreamRunner<Parsed>;
      /** Runs the model's tool calls until it answers; arguments are checked against each tool's schema by the core first. */
      runTools(params: RunToolsParams, options?: RunToolsOptions): ChatCompletionToolRunner;
      /** response_format json_schema: `message.parsed`, checked against the schema by the core (StructuredOutputError otherwise). */
      parse<Parsed = unknown>(
        params: ChatCompletionCreateParams & { stream?: false },
        options?: ChatRequestOptions
      ): Promise<ParsedChatCompletion<Parsed>>;
    };
  };
  models: {
    /** Awaitable (the page) and async-iterable (the models). */
    list(options?: RequestOptions): APIPromise<ModelsPage> & AsyncIterable<Model>;
    /**
     * GET /v1/model-metadata (falling back to /v1/models?metadata=true on 404), normalised and
     * cached for metadataTTL; `{ refresh: true }` bypasses the cache.
     */
    metadata(options?: RequestOptions & { refresh?: boolean }): Promise<ModelMetadataList>;
  };
  balance: {
    /** GET /v1/balance: the JSON as the server sends it. */
    retrieve(options?: RequestOptions): APIPromise<Balance>;
    /** Compares the request's worst-case cost with the live balance. */
    check(params: ChatCompletionCreateParams, options?: RequestOptions): Promise<BalanceCheck>;
  };
  validation: 'error' | 'warn' | 'off';
  budgetUSD?: number;
  /** Checks a request against the (cached) model metadata without sending it. */
  validate(params: ChatCompletionCreateParams, options?: RequestOptions & { allowParams?: string[] }): Promise<ValidationResult>;
  /** Worst-case cost before sending. */
  estimateCost(params: ChatCompletionCreateParams, options?: RequestOptions): Promise<CostEstimate>;
  /** Frees the parsed metadata held in wasm memory; the client stays usable. */
  close(): void;
}
export default LLMBase;

export interface ErrorFields {
  kind?: string;
  status?: number;
  code?: string;
  type?: string;
  param?: string;
  headers?: Record<string, string>;
  requestId?: string;
  partial?: ChatCompletion;
}

export declare class LLMBaseError extends Error {
  constructor(message: string, fields?: ErrorFields);
  /** Stable core error kind, e.g. "authentication", "incomplete_stream". */
  readonly kind?: string;
  readonly status?: number;
  readonly code?: string;
  readonly type?: string;
  readonly param?: string;
  readonly headers?: Record<string, string>;
  readonly requestId?: string;
  /** What a stream delivered before it failed. */
  readonly partial?: ChatCompletion;
}
export declare class APIError extends LLMBaseError {}
export declare class BadRequestError extends APIError {}
export declare class AuthenticationError extends APIError {}
export declare class InsufficientBalanceError extends APIError {}
export declare class PermissionDeniedError extends APIError {}
export declare class NotFoundError extends APIError {}
export declare class ConflictError extends APIError {}
export declare class UnprocessableEntityError extends APIError {}
export declare class RateLimitError extends APIError {}
export declare class ConcurrencyLimitError extends RateLimitError {}
export declare class InternalServerError extends APIError {}
/** A network failure (no response, or a connection lost mid-body): an APIError, as in openai-node. */
export declare class APIConnectionError extends APIError {}
/** A 200 stream that ended before [DONE] and any finish_reason; `.partial` holds what arrived. */
export declare class IncompleteStreamError extends APIConnectionError {}
/** A streamed reply passed maxReplyBytes; `.partial` holds the reply so far. */
export declare class ReplyTooLargeError extends APIError {}
export declare class APIConnectionTimeoutError extends APIConnectionError {}
export declare class IdleTimeoutError extends APIConnectionTimeoutError {}
export declare class APIUserAbortError extends LLMBaseError {}
export declare class InvalidArgumentError extends LLMBaseError {}
/** Found before sending: the request would be refused, or exceeds budgetUSD. */
export declare class ValidationError extends LLMBaseError {
  /** `refusal`: the core's text, code and param for these findings (what the client raises). */
  constructor(findings: Finding[], refusal?: { message?: string; code?: string; param?: string });
  readonly findings: Finding[];
}
