// TypeScript declarations of llmbase-wasm/ai-sdk: the Vercel AI SDK provider (LanguageModelV4, @ai-sdk/provider 4.x).
import type { LanguageModelV4, ProviderV4 } from '@ai-sdk/provider';
import type { ClientOptions, LLMBase } from './index.js';

/** providerOptions.llmbase of a call, or the settings of llmbase(modelId, settings). Unknown keys are an error. */
export interface LLMBaseLanguageModelOptions {
  /** Sent as reasoning_effort (e.g. "low", "medium", "high"); overrides the call's `reasoning`. */
  reasoningEffort?: string;
  reasoning_effort?: string;
  promptCacheKey?: string;
  prompt_cache_key?: string;
  chatTemplateKwargs?: Record<string, unknown>;
  chat_template_kwargs?: Record<string, unknown>;
  logprobs?: boolean;
  topLogprobs?: number;
  top_logprobs?: number;
  /**
   * "error" (the client's default): a request the model would refuse is not sent and the call fails
   * with an APICallError whose `data.findings` lists why. "warn": what the model does not support
   * (tools, response_format, reasoning_effort…) is left out and reported as `unsupported` warnings.
   * "off": no check.
   */
  validation?: 'error' | 'warn' | 'off';
  /** Refuse (APICallError, nothing sent) a call whose worst-case cost in USD exceeds this. */
  budgetUSD?: number;
  /** false sends `X-LLMBase-Fallback: off`. */
  fallback?: boolean;
  /** Parameters whose findings are ignored for this call. */
  allowParams?: string[];
  /** Longest silence before the headers or between chunks, in ms (the client's idleTimeout). */
  idleTimeout?: number;
  timeout?: number;
  /** Keys merged into the top level of the request body. */
  extraBody?: Record<string, unknown>;
}

/** What a call reports in providerMetadata.llmbase. */
export interface LLMBaseProviderMetadata {
  /** The actual cost from the usage; under fallback the cheaper of requested and served model. */
  cost: { usd: number | null; model: string; promptTokens: number; completionTokens: number; cachedTokens: number; priced: boolean } | null;
  /** The worst-case cost before sending (null with validation "off" or without metadata). */
  maxCostUSD: number | null;
  servedModel: string | null;
  fallbackApplied: boolean;
  requestId: string | null;
}

export interface LLMBaseProviderOptions extends ClientOptions {
  /** Use this client instead of making one from the options. */
  client?: LLMBase;
}

export interface LLMBaseProvider extends ProviderV4 {
  (modelId: string, settings?: LLMBaseLanguageModelOptions): LanguageModelV4;
  languageModel(modelId: string, settings?: LLMBaseLanguageModelOptions): LanguageModelV4;
  chat(modelId: string, settings?: LLMBaseLanguageModelOptions): LanguageModelV4;
  /** The LLMBase client behind the models (made on first use). */
  readonly client: LLMBase;
}

/** A provider over a new LLMBase client (retries left to the AI SDK: the client's maxRetries defaults to 0). */
export declare function createLLMBase(options?: LLMBaseProviderOptions): LLMBaseProvider;
/** The default provider: key from LLMBASE_API_KEY, base URL from LLMBASE_BASE_URL. */
export declare const llmbase: LLMBaseProvider;
export default llmbase;
