// Error messages of <llmbase-chat>: turns the package's typed errors into words saying what happened and what to do.
//
// Keyed on the error's `kind` (the core's stable error kind, also behind the class names
// AuthenticationError, InsufficientBalanceError, …), so it needs no import of the package.

const seconds = (error) => {
  const headers = error.headers || {};
  const ms = Number(headers['retry-after-ms']);
  if (Number.isFinite(ms) && ms > 0) return Math.ceil(ms / 1000);
  const s = Number(headers['retry-after']);
  return Number.isFinite(s) && s > 0 ? Math.ceil(s) : null;
};

/** The balance a 402 message names ("… the balance is $0.000012 …"), or null. */
export function balanceFromMessage(message) {
  const match = /balance(?: is|:)?\s*\$?\s*(\d+(?:\.\d+)?)/i.exec(String(message || ''));
  return match ? Number(match[1]) : null;
}

export function formatUSD(value) {
  if (!Number.isFinite(value)) return '';
  return value !== 0 && Math.abs(value) < 0.01 ? `$${value.toPrecision(2)}` : `$${value.toFixed(2)}`;
}

const trimMessage = (error) => String(error && error.message ? error.message : error).replace(/\s+/g, ' ').trim();

/**
 * { title, hint, findings, retry } for an error. `context`: { baseURL, model, balance } where
 * `balance` is the account balance in USD when known (for a 402).
 */
export function describeError(error, context = {}) {
  const kind = error && error.kind;
  const status = error && error.status;
  const detail = trimMessage(error);
  if (kind === 'validation' || (error && error.name === 'ValidationError')) {
    return {
      title: `Not sent: the message does not fit ${context.model || 'this model'}.`,
      hint: 'Fix what is listed below, pick another model, or start a new chat.',
      findings: (error.findings || []).filter((f) => f.severity === 'error'),
      retry: false,
    };
  }
  if (kind === 'authentication' || status === 401) {
    return {
      title: 'The chat server refused its API key (401).',
      hint: 'Site owner: check the key the proxy uses (LLMBASE_API_KEY). Visitors: the chat is unavailable for now; try again later.',
      retry: true,
    };
  }
  if (kind === 'insufficient_balance' || status === 402) {
    const balance = Number.isFinite(context.balance) ? context.balance : balanceFromMessage(detail);
    return {
      title: `The LLMBase account behind this chat is out of credit (402)${balance !== null && balance !== undefined ? `: the balance is ${formatUSD(balance)}` : ''}.`,
      hint: 'Site owner: top up the prepaid balance. A lower max-tokens also lowers what a request has to reserve.',
      retry: true,
    };
  }
  if (kind === 'concurrency_limit') {
    return { title: 'Too many replies are being written at once (429).', hint: 'Wait a few seconds, then try again.', retry: true };
  }
  if (kind === 'rate_limit' || status === 429) {
    const wait = seconds(error);
    return {
      title: 'Too many messages in a short time (429).',
      hint: wait ? `Wait ${wait} s, then try again.` : 'Wait a moment, then try again.',
      retry: true,
    };
  }
  if (kind === 'permission_denied' || status === 403) {
    return { title: `Not allowed (403): ${detail}`, hint: 'Pick another model, or ask the site owner to allow this page or model.', retry: false };
  }
  if (kind === 'not_found' || status === 404) {
    return { title: `Not found (404): ${detail}`, hint: `Pick another model; site owner: check base-url (${context.baseURL || 'not set'}).`, retry: false };
  }
  if (kind === 'bad_request' || kind === 'unprocessable_entity' || status === 400 || status === 422) {
    return { title: `The server refused the request (${status || 400}): ${detail}`, hint: 'Change the message or the model, then send again.', retry: false };
  }
  if (kind === 'idle_timeout') {
    return { title: 'The reply stalled: no data arrived for too long.', hint: 'Try again; what arrived so far is kept above.', retry: true };
  }
  if (kind === 'timeout') {
    return { title: 'The request took too long and was stopped.', hint: 'Try again, perhaps with a shorter question.', retry: true };
  }
  if (kind === 'connection') {
    return {
      title: `Could not reach the chat server${context.baseURL ? ` at ${context.baseURL}` : ''}.`,
      hint: 'Check your internet connection and try again. If it keeps failing, the server may be down.',
      retry: true,
    };
  }
  if (kind === 'incomplete_stream') {
    return { title: 'The connection broke off before the reply was complete.', hint: 'What arrived is kept above. Try again for a full reply.', retry: true };
  }
  if (kind === 'internal_server' || status >= 500) {
    return { title: `The chat server had a problem (${status || 'server error'}).`, hint: 'Try again in a moment.', retry: true };
  }
  if (kind === 'stream_error' || kind === 'invalid_response' || kind === 'event_too_large') {
    return { title: `The reply failed part-way: ${detail}`, hint: 'Try again.', retry: true };
  }
  if (kind === 'invalid_argument') {
    return { title: `The widget is not set up correctly: ${detail}`, hint: 'Site owner: check the element\'s attributes.', retry: false };
  }
  return { title: `Something went wrong: ${detail}`, hint: 'Try again.', retry: true };
}
