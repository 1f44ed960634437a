// Token arithmetic of the local server: one documented rule used for usage, limits, truncation and cost.
//
// The server's own counter on purpose, not a call into the core's estimator: the local server plays
// LLMBase, whose `usage` comes from the model's tokenizer and not from our client. The rule below
// happens to be the one the client estimates with, so local usage matches the estimate exactly;
// that says nothing about real tokenizers, and the README's accuracy figure is measured against an
// independent one instead (scripts/measure-token-estimate.mjs).
//
// The rule: a text costs ceil(code points / 4) tokens (the usual "~4 characters per token" estimate).
// A prompt costs, per message, 4 tokens of framing + its text (content, name, tool-call names and
// arguments) + 85 tokens per image or file part; tool definitions cost their JSON text; plus 3 tokens
// that prime the reply. Completions cost their reasoning, content and tool-call names and arguments.

export const CHARS_PER_TOKEN = 4;
export const MESSAGE_OVERHEAD_TOKENS = 4;
export const ATTACHMENT_TOKENS = 85;
export const REPLY_PRIMING_TOKENS = 3;

export function codePoints(text) {
  return Array.from(text ?? '');
}

export function countTextTokens(text) {
  if (!text) return 0;
  return Math.ceil(codePoints(text).length / CHARS_PER_TOKEN);
}

/** Cuts `text` so it costs at most `tokens` tokens; `truncated` says whether anything was cut. */
export function truncateToTokens(text, tokens) {
  const points = codePoints(text);
  const limit = Math.max(0, tokens) * CHARS_PER_TOKEN;
  if (points.length <= limit) return { text, truncated: false };
  return { text: points.slice(0, limit).join(''), truncated: true };
}

export function countMessageTokens(message) {
  let tokens = MESSAGE_OVERHEAD_TOKENS;
  if (typeof message?.name === 'string') tokens += countTextTokens(message.name);
  const content = message?.content;
  if (typeof content === 'string') {
    tokens += countTextTokens(content);
  } else if (Array.isArray(content)) {
    for (const part of content) {
      if (part?.type === 'text') tokens += countTextTokens(part.text);
      else if (part?.type === 'image_url' || part?.type === 'file') tokens += ATTACHMENT_TOKENS;
    }
  }
  if (Array.isArray(message?.tool_calls)) {
    for (const call of message.tool_calls) {
      tokens += countTextTokens(call?.function?.name) + countTextTokens(call?.function?.arguments);
    }
  }
  return tokens;
}

export function countPromptTokens(body) {
  let tokens = REPLY_PRIMING_TOKENS;
  for (const message of body.messages ?? []) tokens += countMessageTokens(message);
  if (Array.isArray(body.tools)) tokens += countTextTokens(JSON.stringify(body.tools));
  return tokens;
}
