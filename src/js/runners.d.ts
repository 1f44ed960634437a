// TypeScript declarations of the chat helpers stream(), runTools() and parse(), their runners and errors (re-exported by index.d.ts).
import type {
  APIUserAbortError,
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessage,
  ChatMessage,
  ChatRequestOptions,
  CompletionUsage,
  ErrorFields,
  LLMBaseError,
  ToolCall,
} from './index.js';

/** One token of `logprobs.content` / `logprobs.refusal`. */
export interface TokenLogprob {
  token: string;
  logprob: number;
  bytes?: number[] | null;
  top_logprobs?: Array<{ token: string; logprob: number; bytes?: number[] | null }>;
}

/** The reply with `parsed` (parse(), or stream() with a JSON response_format): checked by the core's JSON Schema validator. */
export type ParsedChatCompletionMessage<Parsed> = ChatCompletionMessage & {
  parsed: Parsed | null;
  tool_calls?: Array<ToolCall & { function: { parsed_arguments?: unknown } }>;
};
export interface ParsedChatCompletion<Parsed> extends Omit<ChatCompletion, 'choices'> {
  choices: Array<{ index: number; message: ParsedChatCompletionMessage<Parsed>; finish_reason: string | null; logprobs: unknown }>;
}

export interface ContentDeltaEvent<Parsed = unknown> {
  delta: string;
  /** The content so far, from the core's accumulator. */
  snapshot: string;
  /** With a JSON response_format: the partial value so far, from the core's incremental parser. */
  parsed: Partial<Parsed> | undefined;
}
export interface ToolArgumentsDeltaEvent {
  index: number;
  name: string;
  arguments: string;
  arguments_delta: string;
  parsed_arguments: unknown;
}
export interface ToolArgumentsDoneEvent {
  index: number;
  name: string;
  arguments: string;
  parsed_arguments: unknown;
}

/** Listener signatures of the stream runner, with openai-node's event names. */
export interface ChatCompletionStreamEvents<Parsed = null> {
  connect: () => void;
  chunk: (chunk: ChatCompletionChunk, snapshot: ChatCompletion) => void;
  content: (delta: string, snapshot: string) => void;
  'content.delta': (event: ContentDeltaEvent<Parsed>) => void;
  'content.done': (event: { content: string; parsed: Parsed | null }) => void;
  'refusal.delta': (event: { delta: string; snapshot: string }) => void;
  'refusal.done': (event: { refusal: string }) => void;
  'tool_calls.function.arguments.delta': (event: ToolArgumentsDeltaEvent) => void;
  'tool_calls.function.arguments.done': (event: ToolArgumentsDoneEvent) => void;
  'logprobs.content.delta': (event: { content: TokenLogprob[]; snapshot: TokenLogprob[] }) => void;
  'logprobs.content.done': (event: { content: TokenLogprob[] }) => void;
  'logprobs.refusal.delta': (event: { refusal: TokenLogprob[]; snapshot: TokenLogprob[] }) => void;
  'logprobs.refusal.done': (event: { refusal: TokenLogprob[] }) => void;
  message: (message: ParsedChatCompletionMessage<Parsed>) => void;
  chatCompletion: (completion: ParsedChatCompletion<Parsed>) => void;
  finalMessage: (message: ParsedChatCompletionMessage<Parsed>) => void;
  finalContent: (content: string) => void;
  finalChatCompletion: (completion: ParsedChatCompletion<Parsed>) => void;
  totalUsage: (usage: CompletionUsage) => void;
  /** An abort is an error too: `abort`, then `error`, then `end`. */
  abort: (error: APIUserAbortError) => void;
  error: (error: LLMBaseError) => void;
  end: () => void;
}

/** Listener plumbing shared by both runners. */
export interface RunnerEventEmitter<Events> {
  readonly controller: AbortController;
  readonly ended: boolean;
  readonly errored: boolean;
  readonly aborted: boolean;
  on<E extends keyof Events>(event: E, listener: Events[E]): this;
  off<E extends keyof Events>(event: E, listener: Events[E]): this;
  once<E extends keyof Events>(event: E, listener: Events[E]): this;
  /** The first argument of the next `event`; rejects if the run fails first. */
  emitted<E extends keyof Events>(event: E): Promise<Events[E] extends (arg: infer A, ...rest: never[]) => void ? A : void>;
  /** Cancels the run: done() and the final*() getters reject with APIUserAbortError. */
  abort(): void;
  /** Resolves when the run ended cleanly; rejects with its error. */
  done(): Promise<void>;
}

export interface ChatCompletionStreamRunner<Parsed = null> extends RunnerEventEmitter<ChatCompletionStreamEvents<Parsed>> {}
/** What chat.completions.stream() returns: `for await` over chunks, openai-node's events and final*() getters. */
export declare class ChatCompletionStreamRunner<Parsed = null> implements AsyncIterable<ChatCompletionChunk> {
  /** A runner over a relayed NDJSON body (toReadableStream() on a server), decoded by the core. */
  static fromReadableStream<Parsed = null>(
    body: ReadableStream<Uint8Array>,
    params?: Partial<ChatCompletionCreateParams>
  ): ChatCompletionStreamRunner<Parsed>;
  /** The HTTP response of a live call (null for a relayed stream). */
  readonly response: Response | null;
  /** The completion the core has accumulated from the chunks handed out so far. */
  readonly currentChatCompletionSnapshot: ChatCompletion | null | undefined;
  [Symbol.asyncIterator](): AsyncIterator<ChatCompletionChunk>;
  finalChatCompletion(): Promise<ParsedChatCompletion<Parsed>>;
  finalMessage(): Promise<ParsedChatCompletionMessage<Parsed> | undefined>;
  finalContent(): Promise<string | null>;
  totalUsage(): Promise<CompletionUsage | undefined>;
  /** Newline-delimited JSON chunks (openai-node's relay format); cancelling it aborts the run. */
  toReadableStream(): ReadableStream<Uint8Array>;
}

/** A tool runTools() can run: the function gets the arguments after the core checked them against `parameters`. */
export interface RunnableFunction<Args = any> {
  name: string;
  description?: string;
  parameters?: Record<string, unknown>;
  strict?: boolean;
  /** Gets the arguments as text, or as `parse` returns them; its result (text or JSON) goes back to the model, and so does an error it throws. */
  function: (args: Args, runner: ChatCompletionToolRunner, signal: AbortSignal) => unknown;
  /** E.g. JSON.parse, or a zod schema's parse. */
  parse?: (input: string) => Args | Promise<Args>;
}
export interface RunnableTool<Args = any> {
  type: 'function';
  function: RunnableFunction<Args>;
}
export type RunToolsParams = Omit<ChatCompletionCreateParams, 'tools'> & { tools: RunnableTool[] };
export interface RunToolsOptions extends ChatRequestOptions {
  /** Completions per run; a reply that still calls tools past it fails with ToolLoopError. Default 10. */
  maxChatCompletions?: number;
  /** Rounds whose tool results are errors (invalid arguments, a throwing tool). Default 3. */
  maxRepairs?: number;
}

export interface ChatCompletionToolRunnerEvents extends Omit<ChatCompletionStreamEvents, 'message' | 'chatCompletion'> {
  message: (message: ChatMessage) => void;
  chatCompletion: (completion: ChatCompletion) => void;
  functionToolCall: (call: { name: string; arguments: string }) => void;
  functionToolCallResult: (content: string) => void;
}
export interface ChatCompletionToolRunner extends RunnerEventEmitter<ChatCompletionToolRunnerEvents> {}
/** What chat.completions.runTools() returns; which calls run and when to stop are the core's ToolLoop decisions. */
export declare class ChatCompletionToolRunner {
  /** The conversation so far: the request's messages, each reply, each tool result. */
  readonly messages: ChatMessage[];
  finalChatCompletion(): Promise<ChatCompletion>;
  finalMessage(): Promise<ChatCompletionMessage | undefined>;
  finalContent(): Promise<string | null>;
  allChatCompletions(): Promise<ChatCompletion[]>;
  /** Usage summed over every completion of the run. */
  totalUsage(): Promise<CompletionUsage>;
  finalFunctionToolCall(): Promise<{ name: string; arguments: string } | undefined>;
  finalFunctionToolCallResult(): Promise<string | undefined>;
}

/** The structured output stopped at the token limit (finish_reason "length"). */
export declare class LengthFinishReasonError extends LLMBaseError {
  readonly completion: ChatCompletion;
}
/** The structured output was stopped by the content filter. */
export declare class ContentFilterFinishReasonError extends LLMBaseError {
  readonly completion: ChatCompletion;
}
/** The reply does not match the response_format schema (the core's validator): `.path` and `.rule` name the first mismatch. */
export declare class StructuredOutputError extends LLMBaseError {
  readonly errors: Array<{ path: string; rule: string; message: string }>;
  /** JSON path into the reply, e.g. "$.items[2].price". */
  readonly path: string;
  /** The JSON Schema keyword that failed, e.g. "type", "required", "json" (not JSON at all). */
  readonly rule: string;
  /** The text as received. */
  readonly raw: string;
  readonly completion: ChatCompletion;
}
/** A tool run stopped without an answer: `code` is "max_chat_completions" or "max_repairs". */
export declare class ToolLoopError extends LLMBaseError {
  constructor(record: { code: string; message: string }, fields?: ErrorFields);
}
