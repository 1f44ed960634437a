// TypeScript declarations of the chat completion shapes: messages, request params, completions, chunks and the stream (re-exported by index.d.ts).
import type { ChatCompletionStreamRunner } from './runners.js';
import type { CompletionCost, Finding } from './index.js';

export type ChatRole = 'system' | 'user' | 'assistant' | 'tool';

export interface ContentPartText {
  type: 'text';
  text: string;
}
export interface ContentPartImage {
  type: 'image_url';
  image_url: { url: string; detail?: string };
}
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
  response_format?:
    { type: 'json_object' } | { type: 'json_schema'; json_schema: { name: string; schema: object; strict?: boolean } } | { type: 'text' };
  reasoning_effort?: string;
  logprobs?: boolean;
  top_logprobs?: number;
  prompt_cache_key?: string;
  chat_template_kwargs?: Record<string, unknown>;
  /** Merged into the top level of the body (and not sent itself). */
  extra_body?: Record<string, unknown>;
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
  /** Non-enumerable: the actual cost from usage and the metadata pricing (when metadata was available). */
  readonly cost?: CompletionCost | null;
  /** Non-enumerable: findings that did not block the request. */
  readonly validation?: { findings: Finding[] };
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
  /** Newline-delimited JSON chunks to relay (a server route's body); cancelling it aborts the request. */
  toReadableStream(): ReadableStream<Uint8Array>;
  /** A stream runner over a relayed NDJSON body (the browser side of toReadableStream()). */
  static fromReadableStream(body: ReadableStream<Uint8Array>, params?: Partial<ChatCompletionCreateParams>): ChatCompletionStreamRunner;
}
