// AI SDK call options (LanguageModelV4CallOptions) → an LLMBase chat request, its request options and the warnings for what cannot be sent.
import { InvalidArgumentError, UnsupportedFunctionalityError } from '@ai-sdk/provider';

// providerOptions.llmbase (and the model settings): name → the field it sets.
const BODY_OPTIONS = {
  reasoning_effort: 'reasoning_effort',
  reasoningEffort: 'reasoning_effort',
  prompt_cache_key: 'prompt_cache_key',
  promptCacheKey: 'prompt_cache_key',
  chat_template_kwargs: 'chat_template_kwargs',
  chatTemplateKwargs: 'chat_template_kwargs',
  logprobs: 'logprobs',
  top_logprobs: 'top_logprobs',
  topLogprobs: 'top_logprobs',
};
const REQUEST_OPTIONS = ['validation', 'budgetUSD', 'fallback', 'allowParams', 'idleTimeout', 'timeout', 'extraBody'];

/** Checks providerOptions.llmbase (or model settings): unknown keys are an error naming them. */
export function readLLMBaseOptions(value, where) {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidArgumentError({ argument: where, message: `${where} must be an object, got ${JSON.stringify(value)}.` });
  }
  for (const key of Object.keys(value)) {
    if (!(key in BODY_OPTIONS) && !REQUEST_OPTIONS.includes(key)) {
      throw new InvalidArgumentError({
        argument: `${where}.${key}`,
        message: `Unknown option ${where}.${key}; known: ${[...Object.keys(BODY_OPTIONS), ...REQUEST_OPTIONS].join(', ')}.`,
      });
    }
  }
  return value;
}

function dataUrl(data, mediaType) {
  if (data.type === 'url') return data.originalUrl || data.url.href;
  if (data.type !== 'data') return null;
  const base64 = typeof data.data === 'string' ? data.data : base64Of(data.data);
  return `data:${mediaType};base64,${base64}`;
}

// Browsers have no Buffer; btoa takes a binary string.
function base64Of(bytes) {
  if (typeof Buffer !== 'undefined') return Buffer.from(bytes).toString('base64');
  let binary = '';
  for (let i = 0; i < bytes.length; i += 1) binary += String.fromCharCode(bytes[i]);
  return btoa(binary);
}

function unsupported(functionality) {
  return new UnsupportedFunctionalityError({ functionality });
}

// The magic bytes of the image formats a data URL needs a full media type for.
const IMAGE_SIGNATURES = [
  ['image/png', [0x89, 0x50, 0x4e, 0x47]],
  ['image/jpeg', [0xff, 0xd8, 0xff]],
  ['image/gif', [0x47, 0x49, 0x46, 0x38]],
  ['image/webp', [0x52, 0x49, 0x46, 0x46]],
];

function leadingBytes(data) {
  if (typeof data !== 'string') return data.subarray(0, 8);
  const text = typeof atob === 'function' ? atob(data.slice(0, 12)) : '';
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

// V4 allows a bare "image"; a data URL needs the full type, so it is read from the bytes.
function fullMediaType(part, path) {
  if (part.mediaType.includes('/') && !part.mediaType.endsWith('/*')) return part.mediaType;
  if (part.data.type === 'url') return part.mediaType.replace(/\/\*$/, '');
  const head = leadingBytes(part.data.data);
  const found = IMAGE_SIGNATURES.find(([, signature]) => signature.every((byte, i) => head[i] === byte));
  if (!found) throw unsupported(`${path}: a file with media type "${part.mediaType}"; give its full type, e.g. image/png`);
  return found[0];
}

// A file part of a user message: images as image_url, other files as OpenAI's `file` part (llmbase-api.md §3.2).
function filePart(part, path) {
  if (part.data.type === 'text') return { type: 'text', text: part.data.text };
  const mediaType = fullMediaType(part, path);
  const url = dataUrl(part.data, mediaType);
  if (url === null) throw unsupported(`${path}: file data of type "${part.data.type}" (send the bytes or a URL)`);
  if (mediaType.startsWith('image')) return { type: 'image_url', image_url: { url } };
  if (part.data.type === 'url' && !url.startsWith('data:')) {
    throw unsupported(`${path}: a ${mediaType} file by URL (LLMBase takes files as data; pass the bytes)`);
  }
  return { type: 'file', file: { filename: part.filename || 'file', file_data: url } };
}

function toolOutputText(output, path) {
  switch (output.type) {
    case 'text':
    case 'error-text':
      return output.value;
    case 'json':
    case 'error-json':
      return JSON.stringify(output.value);
    case 'execution-denied':
      return output.reason || 'The user denied running this tool.';
    case 'content':
      return output.value
        .map((item) => {
          if (item.type !== 'text') throw unsupported(`${path}: a tool result with ${item.type} content (tool messages carry text)`);
          return item.text;
        })
        .join('\n');
    default:
      throw unsupported(`${path}: tool output of type "${output.type}"`);
  }
}

function userContent(parts, path) {
  const content = parts.map((part, i) => (part.type === 'text' ? { type: 'text', text: part.text } : filePart(part, `${path}[${i}]`)));
  return content.length === 1 && content[0].type === 'text' ? content[0].text : content;
}

function assistantMessage(parts, path) {
  let text = '';
  const toolCalls = [];
  parts.forEach((part, i) => {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call') {
      toolCalls.push({
        id: part.toolCallId,
        type: 'function',
        function: { name: part.toolName, arguments: JSON.stringify(part.input ?? {}) },
      });
    } else if (part.type !== 'reasoning' && part.type !== 'reasoning-file') {
      // Reasoning is output only: OpenAI-compatible APIs do not take it back (DeepSeek rejects it).
      throw unsupported(`${path}[${i}]: assistant content of type "${part.type}"`);
    }
  });
  const message = { role: 'assistant', content: text === '' && toolCalls.length ? null : text };
  if (toolCalls.length) message.tool_calls = toolCalls;
  return message;
}

/** The LanguageModelV4Prompt as chat messages (system, user parts, assistant tool calls, tool results). */
export function chatMessages(prompt) {
  const messages = [];
  prompt.forEach((message, m) => {
    const path = `prompt[${m}].content`;
    if (message.role === 'system') messages.push({ role: 'system', content: message.content });
    else if (message.role === 'user') messages.push({ role: 'user', content: userContent(message.content, path) });
    else if (message.role === 'assistant') messages.push(assistantMessage(message.content, path));
    else if (message.role === 'tool') {
      message.content.forEach((part, i) => {
        // Approval responses are for provider-executed tools, which LLMBase has none of.
        if (part.type === 'tool-approval-response') return;
        messages.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolOutputText(part.output, `${path}[${i}]`) });
      });
    } else {
      throw new InvalidArgumentError({ argument: `prompt[${m}].role`, message: `Unknown message role ${JSON.stringify(message.role)}.` });
    }
  });
  return messages;
}

function toolChoice(choice) {
  if (!choice) return undefined;
  if (choice.type === 'tool') return { type: 'function', function: { name: choice.toolName } };
  return choice.type; // auto | none | required
}

function responseFormat(format) {
  if (!format || format.type !== 'json') return undefined;
  if (!format.schema) return { type: 'json_object' };
  const jsonSchema = { name: format.name || 'response', schema: format.schema };
  if (format.description) jsonSchema.description = format.description;
  return { type: 'json_schema', json_schema: jsonSchema };
}

function setIfDefined(target, name, value) {
  if (value !== undefined && value !== null) target[name] = value;
}

/**
 * `{ params, requestOptions, warnings }` for one call. `settings` are the model's settings and
 * `options.providerOptions.llmbase` overrides them per call.
 */
export function buildRequest(modelId, options, settings, stream) {
  const llmbase = {
    ...settings,
    ...readLLMBaseOptions(options.providerOptions && options.providerOptions.llmbase, 'providerOptions.llmbase'),
  };
  const warnings = [];
  const params = { model: modelId, messages: chatMessages(options.prompt) };
  setIfDefined(params, 'max_tokens', options.maxOutputTokens);
  setIfDefined(params, 'temperature', options.temperature);
  setIfDefined(params, 'top_p', options.topP);
  setIfDefined(params, 'stop', options.stopSequences && options.stopSequences.length ? options.stopSequences : undefined);
  setIfDefined(params, 'seed', options.seed);
  setIfDefined(params, 'presence_penalty', options.presencePenalty);
  setIfDefined(params, 'frequency_penalty', options.frequencyPenalty);
  setIfDefined(params, 'response_format', responseFormat(options.responseFormat));
  if (options.topK !== undefined)
    warnings.push({ type: 'unsupported', feature: 'topK', details: 'LLMBase has no top_k parameter; it was not sent.' });
  if (options.reasoning && options.reasoning !== 'provider-default') params.reasoning_effort = options.reasoning;
  const tools = (options.tools || []).filter((tool) => {
    if (tool.type === 'function') return true;
    warnings.push({
      type: 'unsupported',
      feature: `provider tool ${tool.name}`,
      details: 'LLMBase runs no provider tools; it was not sent.',
    });
    return false;
  });
  if (tools.length) {
    params.tools = tools.map((tool) => {
      const fn = { name: tool.name, parameters: tool.inputSchema };
      if (tool.description) fn.description = tool.description;
      if (tool.strict !== undefined) fn.strict = tool.strict;
      return { type: 'function', function: fn };
    });
    setIfDefined(params, 'tool_choice', toolChoice(options.toolChoice));
  }
  for (const [key, field] of Object.entries(BODY_OPTIONS)) setIfDefined(params, field, llmbase[key]);
  if (stream) params.stream = true;

  const headers = {};
  for (const [name, value] of Object.entries(options.headers || {})) if (value !== undefined) headers[name] = value;
  const requestOptions = { headers, signal: options.abortSignal };
  for (const key of ['validation', 'budgetUSD', 'fallback', 'allowParams', 'idleTimeout', 'timeout'])
    setIfDefined(requestOptions, key, llmbase[key]);
  setIfDefined(requestOptions, 'extra_body', llmbase.extraBody);
  return { params, requestOptions, warnings };
}
