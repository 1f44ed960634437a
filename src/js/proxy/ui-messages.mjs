// The AI SDK's useChat request (UI messages, ai@7 HttpChatTransport body) → an LLMBase chat-completions body, for the proxy's /ui/chat route.
import { HttpError } from './http-error.mjs';
import { FORWARDED_CHAT_PARAMS } from './rules.mjs';

// What HttpChatTransport sends besides its `body` option: { ...body, id, messages, trigger, messageId }.
const TRANSPORT_FIELDS = new Set(['id', 'messages', 'trigger', 'messageId', 'metadata']);
// Forwarded on /v1 but made by this route, not the page: the messages come from the UI messages and
// the call is always a stream. `logprobs`/`top_logprobs` are refused rather than sent: the UI
// message stream has no part for them, so the page would never see what it asked for.
const ROUTE_OWNED = new Set(['messages', 'stream', 'stream_options', 'logprobs', 'top_logprobs']);
// Chat parameters a page may set through the transport's `body` option: the proxy's forwarded list
// (rules.mjs), so the two routes cannot drift apart; its caps and validation then apply as on /v1.
const CHAT_FIELDS = new Set(FORWARDED_CHAT_PARAMS.filter((name) => !ROUTE_OWNED.has(name)));
// UI-only parts: what the page showed (steps, sources, data parts), not something the model said or read.
const UI_ONLY = /^(step-start|source-url|source-document|data-.+|reasoning|reasoning-file|custom)$/;

function invalid(param, message) {
  return new HttpError(400, 'invalid_request', message, { param });
}

function textOf(parts, path) {
  return parts
    .map((part, i) => {
      if (part.type === 'text' && typeof part.text === 'string') return part.text;
      throw invalid(`${path}[${i}]`, `${path}[${i}] is a ${JSON.stringify(part.type)} part; system messages take text parts only.`);
    })
    .join('\n');
}

function filePart(part, path) {
  const url = typeof part.url === 'string' ? part.url : '';
  const mediaType = typeof part.mediaType === 'string' ? part.mediaType : '';
  if (mediaType.startsWith('image/') && /^(https?:|data:)/.test(url)) return { type: 'image_url', image_url: { url } };
  if (url.startsWith('data:')) return { type: 'file', file: { filename: part.filename || 'file', file_data: url } };
  throw invalid(`${path}.url`, `${path}: a ${mediaType || 'file'} part needs a data: URL (images may also be http(s) URLs).`);
}

function userContent(parts, path) {
  const content = [];
  parts.forEach((part, i) => {
    if (part.type === 'text' && typeof part.text === 'string') content.push({ type: 'text', text: part.text });
    else if (part.type === 'file') content.push(filePart(part, `${path}[${i}]`));
    else if (!UI_ONLY.test(String(part.type))) {
      throw invalid(`${path}[${i}]`, `${path}[${i}] has type ${JSON.stringify(part.type)}, which a user message cannot carry.`);
    }
  });
  return content.length === 1 && content[0].type === 'text' ? content[0].text : content;
}

function toolName(part) {
  return part.type === 'dynamic-tool' ? part.toolName : String(part.type).slice('tool-'.length);
}

function toolResult(part, path) {
  if (part.state === 'output-available') return typeof part.output === 'string' ? part.output : JSON.stringify(part.output ?? null);
  if (part.state === 'output-error') return String(part.errorText ?? 'The tool failed.');
  if (part.state === 'output-denied') return 'The user denied running this tool.';
  throw invalid(
    `${path}.state`,
    `${path}: tool call ${part.toolCallId} is in state ${JSON.stringify(part.state)}; send it once its output is there.`
  );
}

// One assistant UI message is one or more steps (split at step-start): each becomes an assistant
// chat message (its text and tool calls) followed by one tool message per tool result.
function assistantMessages(parts, path) {
  const steps = [[]];
  parts.forEach((part, i) => {
    if (part.type === 'step-start') {
      if (steps[steps.length - 1].length) steps.push([]);
    } else {
      steps[steps.length - 1].push([part, `${path}[${i}]`]);
    }
  });
  const messages = [];
  for (const step of steps) {
    let text = '';
    const calls = [];
    const results = [];
    for (const [part, partPath] of step) {
      if (part.type === 'text' && typeof part.text === 'string') text += part.text;
      else if (part.type === 'dynamic-tool' || String(part.type).startsWith('tool-')) {
        const name = toolName(part);
        calls.push({ id: part.toolCallId, type: 'function', function: { name, arguments: JSON.stringify(part.input ?? {}) } });
        results.push({ role: 'tool', tool_call_id: part.toolCallId, content: toolResult(part, partPath) });
      } else if (!UI_ONLY.test(String(part.type)) && part.type !== 'file') {
        throw invalid(partPath, `${partPath} has type ${JSON.stringify(part.type)}, which this proxy cannot send to the model.`);
      }
    }
    if (!text && !calls.length) continue;
    const message = { role: 'assistant', content: text || null };
    if (calls.length) message.tool_calls = calls;
    messages.push(message, ...results);
  }
  return messages;
}

/**
 * The chat body for a useChat request: its UI messages converted, plus the chat parameters it set.
 * `defaultModel` applies when the page names none; `allowParams`: the parameters the operator lets
 * through besides the chat ones (--allow-params, as on /v1). Throws a 400 naming the field at fault.
 */
export function chatBodyFromUiRequest(request, defaultModel, allowParams = []) {
  if (!request || typeof request !== 'object' || Array.isArray(request)) throw invalid(null, 'The request body must be a JSON object.');
  const fields = new Set([...CHAT_FIELDS, ...allowParams.filter((name) => !TRANSPORT_FIELDS.has(name) && name !== 'stream')]);
  const unknown = Object.keys(request).filter((key) => !TRANSPORT_FIELDS.has(key) && !fields.has(key));
  if (unknown.length) {
    throw invalid(
      unknown[0],
      `Unknown field ${unknown.map((k) => JSON.stringify(k)).join(', ')}; a useChat request may carry ${[...fields].join(', ')} besides its messages.`
    );
  }
  if (!Array.isArray(request.messages) || request.messages.length === 0) {
    throw invalid('messages', '`messages` must be a non-empty array of UI messages (what useChat sends).');
  }
  const body = {};
  for (const key of fields) if (request[key] !== undefined) body[key] = request[key];
  if (body.model === undefined && defaultModel) body.model = defaultModel;
  if (typeof body.model !== 'string') {
    throw invalid('model', "No model: set `model` in the transport's body option (new DefaultChatTransport({ body: { model } })).");
  }
  body.messages = [];
  request.messages.forEach((message, m) => {
    const path = `messages[${m}].parts`;
    if (!message || !Array.isArray(message.parts)) throw invalid(path, `${path} must be an array of message parts.`);
    if (message.role === 'system') body.messages.push({ role: 'system', content: textOf(message.parts, path) });
    else if (message.role === 'user') body.messages.push({ role: 'user', content: userContent(message.parts, path) });
    else if (message.role === 'assistant') body.messages.push(...assistantMessages(message.parts, path));
    else
      throw invalid(
        `messages[${m}].role`,
        `messages[${m}].role must be "system", "user" or "assistant", got ${JSON.stringify(message.role)}.`
      );
  });
  return body;
}
