// TypeScript declarations of llmbase-wasm (all entry points export the same API).

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
}

export interface RequestOptions {
  signal?: AbortSignal;
  headers?: Record<string, string>;
  fetch?: typeof fetch;
  fallback?: boolean;
}

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ContentPartText { type: 'text'; text: string }
export interface ContentPartImage { type: 'image_url'; image_url: { url: string; detail?: string } }
export type ContentPart = ContentPartText | ContentPartImage | { type: string; [key: string]: unknown };

export interface ToolCall {
  id: string;
  type: 'function';
  function: { name: string; arguments: string };
}

export interface ChatMessage {
  role: ChatRole;
  content: string | ContentPart[] | null;
  name?: string;
  tool_call_id?: string;
  tool_calls?: ToolCall[];
}

export interface ChatCompletionCreateParams {
  model: string;
  messages: ChatMessage[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  max_tokens?: number;
  max_completion_tokens?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  stop?: string | string[];
  seed?: number;
  tools?: Array<{ type: 'function'; function: { name: string; description?: string; parameters?: object } }>;
  tool_choice?: 'auto' | 'none' | 'required' | { type: 'function'; function: { name: string } };
  response_format?: { type: 'json_object' } | { type: 'json_schema'; json_schema: { name: string; schema: object; strict?: boolean } } | { type: 'text' };
  reasoning_effort?: string;
  logprobs?: boolean;
  top_logprobs?: number;
  prompt_cache_key?: string;
  chat_template_kwargs?: Record<string, unknown>;
  /** Unknown parameters are sent as given. */
  [param: string]: unknown;
}

export interface CompletionUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details?: { cached_tokens?: number };
  [key: string]: unknown;
}

export interface ChatCompletionMessage {
  role: 'assistant';
  content: string | null;
  refusal?: string | null;
  reasoning_content?: string;
  reasoning?: string;
  tool_calls?: ToolCall[];
}

export interface ChatCompletion {
  id: string;
  object: 'chat.completion';
  created: number;
  model: string;
  choices: Array<{ index: number; message: ChatCompletionMessage; finish_reason: string | null; logprobs: unknown }>;
  usage?: CompletionUsage;
  system_fingerprint?: string;
}

export interface ChatCompletionChunk {
  id: string;
  object: 'chat.completion.chunk';
  created: number;
  model: string;
  choices: Array<{
    index: number;
    delta: {
      role?: 'assistant';
      content?: string | null;
      reasoning_content?: string;
      reasoning?: string;
      tool_calls?: Array<{ index: number; id?: string; type?: 'function'; function?: { name?: string; arguments?: string } }>;
    };
    finish_reason: string | null;
    logprobs?: unknown;
  }>;
  usage?: CompletionUsage | null;
}

export declare class ChatCompletionStream implements AsyncIterable<ChatCompletionChunk> {
  /** Aborting it cancels the request; iteration then rejects with APIUserAbortError. */
  readonly controller: AbortController;
  /** The HTTP response (status and headers such as x-llmbase-served-model). */
  readonly response: Response | null;
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
  /** The accumulated completion; rejects with the stream's error (which carries `.partial`). */
  finalChatCompletion(): Promise<ChatCompletion>;
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

export declare class LLMBase {
  constructor(options?: ClientOptions);
  readonly apiKey: string;
  baseURL: string;
  chat: {
    completions: {
      create(params: ChatCompletionCreateParams & { stream: true }, options?: RequestOptions): Promise<ChatCompletionStream>;
      create(params: ChatCompletionCreateParams & { stream?: false }, options?: RequestOptions): Promise<ChatCompletion>;
      create(params: ChatCompletionCreateParams, options?: RequestOptions): Promise<ChatCompletion | ChatCompletionStream>;
    };
  };
  models: {
    /** Awaitable (the page) and async-iterable (the models). */
    list(options?: RequestOptions): Promise<ModelsPage> & AsyncIterable<Model>;
  };
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
export declare class IncompleteStreamError extends APIError {}
export declare class APIConnectionError extends LLMBaseError {}
export declare class APIConnectionTimeoutError extends APIConnectionError {}
export declare class IdleTimeoutError extends APIConnectionTimeoutError {}
export declare class APIUserAbortError extends LLMBaseError {}
export declare class InvalidArgumentError extends LLMBaseError {}
