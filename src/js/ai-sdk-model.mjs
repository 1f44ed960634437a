// The LLMBase chat model as an AI SDK LanguageModelV4: doGenerate and doStream over the LLMBase client (validation, cost, idle timeout included).
import { APICallError, InvalidArgumentError as SdkInvalidArgumentError } from '@ai-sdk/provider';
import { APIConnectionError, APIError, APIUserAbortError, InvalidArgumentError, ValidationError } from './errors.mjs';
import { buildRequest, readLLMBaseOptions } from './ai-sdk-prompt.mjs';
import { StreamParts, toolInput, unifiedFinishReason, usageFromCompletion } from './ai-sdk-stream-parts.mjs';

const UNSUPPORTED_CODES = new Set(['unsupported_feature', 'unsupported_parameter', 'unsupported_modality']);

/** A validation finding as an AI SDK warning (SharedV4Warning). */
export function warningFromFinding(finding) {
  if (UNSUPPORTED_CODES.has(finding.code)) return { type: 'unsupported', feature: finding.path || finding.code, details: finding.message };
  return { type: 'other', message: finding.path ? `${finding.path}: ${finding.message}` : finding.message };
}

function headersObject(headers) {
  const out = {};
  if (headers && typeof headers.forEach === 'function')
    headers.forEach((value, name) => {
      out[name] = value;
    });
  return out;
}

function abortError(signal) {
  if (signal.reason instanceof Error) return signal.reason;
  return new DOMException('This operation was aborted', 'AbortError');
}

function findingsOf(target) {
  return target && target.validation && Array.isArray(target.validation.findings) ? target.validation.findings : [];
}

/** providerMetadata.llmbase: the cost after the call, the worst case before it, and what served it. */
function llmbaseMetadata(completion, headers, estimate) {
  const cost = completion ? completion.cost : null;
  return {
    llmbase: {
      cost: cost ? { ...cost } : null,
      maxCostUSD: estimate ? estimate.maxCostUSD : null,
      servedModel: headers['x-llmbase-served-model'] || null,
      fallbackApplied: headers['x-llmbase-fallback-applied'] === 'true',
      requestId: headers['x-request-id'] || null,
    },
  };
}

function finishReason(completion) {
  const raw = completion && completion.choices && completion.choices[0] ? completion.choices[0].finish_reason : undefined;
  return { unified: unifiedFinishReason(raw), raw: raw || undefined };
}

export class LLMBaseChatLanguageModel {
  specificationVersion = 'v4';
  // LLMBase fetches image URLs itself (llmbase-api.md §3.2); other files are sent as data.
  supportedUrls = { 'image/*': [/^https?:\/\/.*$/] };
  #settings;
  #client;

  /** `client()` gives the LLMBase client (created on first use). */
  constructor(modelId, settings, { provider, client }) {
    this.modelId = modelId;
    this.provider = provider;
    this.#settings = readLLMBaseOptions(settings, 'settings');
    this.#client = client;
  }

  async doGenerate(options) {
    const call = await this.#prepare(options, false);
    let result;
    try {
      result = await call.client.chat.completions.create(call.params, call.requestOptions).withResponse();
    } catch (error) {
      throw this.#sdkError(error, call, options.abortSignal);
    }
    const { data: completion, response } = result;
    const headers = headersObject(response && response.headers);
    const message = completion.choices && completion.choices[0] ? completion.choices[0].message || {} : {};
    const content = [];
    const reasoning = message.reasoning_content || message.reasoning;
    if (reasoning) content.push({ type: 'reasoning', text: reasoning });
    if (message.content) content.push({ type: 'text', text: message.content });
    for (const toolCall of message.tool_calls || []) {
      const fn = toolCall.function || {};
      content.push({ type: 'tool-call', toolCallId: toolCall.id, toolName: fn.name, input: toolInput(fn.arguments) });
    }
    call.warnings.push(...findingsOf(completion).map(warningFromFinding));
    return {
      content,
      finishReason: finishReason(completion),
      usage: usageFromCompletion(completion.usage),
      providerMetadata: llmbaseMetadata(completion, headers, await this.#estimate(call)),
      request: { url: call.url, body: call.params },
      response: {
        id: completion.id,
        modelId: completion.model,
        timestamp: typeof completion.created === 'number' ? new Date(completion.created * 1000) : undefined,
        headers,
        body: completion,
      },
      warnings: call.warnings,
    };
  }

  async doStream(options) {
    const call = await this.#prepare(options, true);
    let stream;
    try {
      stream = await call.client.chat.completions.create(call.params, call.requestOptions);
    } catch (error) {
      throw this.#sdkError(error, call, options.abortSignal);
    }
    const headers = headersObject(stream.response && stream.response.headers);
    call.warnings.push(...findingsOf(stream).map(warningFromFinding));
    const iterator = stream[Symbol.asyncIterator]();
    const parts = new StreamParts();
    const signal = options.abortSignal;
    let first = true;
    const readable = new ReadableStream({
      start: (controller) => controller.enqueue({ type: 'stream-start', warnings: call.warnings }),
      pull: async (controller) => {
        try {
          const { done, value } = await iterator.next();
          if (!done) {
            if (first) {
              first = false;
              const timestamp = typeof value.created === 'number' ? new Date(value.created * 1000) : undefined;
              controller.enqueue({ type: 'response-metadata', id: value.id, modelId: value.model, timestamp });
            }
            if (options.includeRawChunks) controller.enqueue({ type: 'raw', rawValue: value });
            for (const part of parts.fromChunk(value)) controller.enqueue(part);
            return;
          }
          const completion = await stream.finalChatCompletion();
          for (const part of parts.finish(completion)) controller.enqueue(part);
          controller.enqueue({
            type: 'finish',
            finishReason: finishReason(completion),
            usage: usageFromCompletion(completion.usage),
            providerMetadata: llmbaseMetadata(completion, headers, await this.#estimate(call)),
          });
          controller.close();
        } catch (error) {
          if (signal && signal.aborted) return controller.error(abortError(signal));
          // A stream cut short or an error frame: the AI SDK's error part, then a finish that says so.
          controller.enqueue({ type: 'error', error: this.#sdkError(error, call, signal) });
          const partial = error && error.partial;
          controller.enqueue({
            type: 'finish',
            finishReason: { unified: 'error', raw: undefined },
            usage: usageFromCompletion(partial && partial.usage),
            providerMetadata: llmbaseMetadata(null, headers, null),
          });
          controller.close();
        }
        return undefined;
      },
      cancel: () => stream.controller.abort(),
    });
    return { stream: readable, request: { url: call.url, body: call.params }, response: { headers } };
  }

  // The request, and in warn mode the findings as warnings: what the model does not support is
  // left out and reported as `unsupported`, the AI SDK's convention, so nothing it would refuse is sent.
  async #prepare(options, stream) {
    const client = this.#client();
    const built = buildRequest(this.modelId, options, this.#settings, stream);
    const call = { client, ...built, url: `${client.baseURL.replace(/\/+$/, '')}/chat/completions` };
    const mode = call.requestOptions.validation || client.validation;
    if (mode === 'warn') {
      let checked;
      try {
        checked = await client.validate(call.params, { signal: options.abortSignal, allowParams: call.requestOptions.allowParams });
      } catch (error) {
        throw this.#sdkError(error, call, options.abortSignal);
      }
      for (const finding of checked.findings) {
        if (finding.severity === 'error' && UNSUPPORTED_CODES.has(finding.code) && finding.path in call.params) {
          delete call.params[finding.path];
          if (finding.path === 'tools') delete call.params.tool_choice;
        }
      }
      call.warnings.push(...checked.findings.map(warningFromFinding));
      call.requestOptions.validation = 'off'; // checked above; budgetUSD is still enforced by the client
    }
    call.mode = mode;
    return call;
  }

  // The worst-case cost before sending, from the cached metadata (none when validation is off).
  async #estimate(call) {
    if (call.mode === 'off') return null;
    try {
      return await call.client.estimateCost(call.params);
    } catch {
      return null; // metadata unavailable: the request already went out with a warning about it
    }
  }

  #sdkError(error, call, signal) {
    if (error instanceof APIUserAbortError && signal && signal.aborted) return abortError(signal);
    const base = { url: call.url, requestBodyValues: call.params, cause: error };
    if (error instanceof ValidationError) {
      // Nothing was sent: no status, and retrying the same request cannot help.
      return new APICallError({
        ...base,
        message: error.message,
        isRetryable: false,
        data: { code: error.code, param: error.param, findings: error.findings },
      });
    }
    if (error instanceof InvalidArgumentError)
      return new SdkInvalidArgumentError({ argument: error.param || 'request', message: error.message, cause: error });
    if (error instanceof APIError) {
      return new APICallError({
        ...base,
        message: error.message,
        statusCode: error.status,
        responseHeaders: error.headers,
        data: { code: error.code, type: error.type, param: error.param, requestId: error.requestId },
      });
    }
    if (error instanceof APIConnectionError) return new APICallError({ ...base, message: error.message, isRetryable: true });
    return error;
  }
}
