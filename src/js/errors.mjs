// The error hierarchy of the package, with openai-node's class names, built from core error kinds.

/** Base of every error this package throws. */
export class LLMBaseError extends Error {
  constructor(message, fields = {}) {
    super(message);
    this.name = new.target.name;
    this.status = fields.status;
    this.code = fields.code;
    this.type = fields.type;
    this.param = fields.param;
    this.headers = fields.headers;
    this.requestId = fields.requestId;
    this.kind = fields.kind;
    // The completion received before a stream failed, when there is one.
    if (fields.partial !== undefined) this.partial = fields.partial;
  }
}

/** An error response from the API (or an error frame inside a stream). */
export class APIError extends LLMBaseError {}
export class BadRequestError extends APIError {}
export class AuthenticationError extends APIError {}
export class InsufficientBalanceError extends APIError {}
export class PermissionDeniedError extends APIError {}
export class NotFoundError extends APIError {}
export class ConflictError extends APIError {}
export class UnprocessableEntityError extends APIError {}
export class RateLimitError extends APIError {}
export class ConcurrencyLimitError extends RateLimitError {}
export class InternalServerError extends APIError {}
/**
 * A network failure: no response, or a connection lost mid-body. An APIError too, as in
 * openai-node, so one `instanceof APIConnectionError` check catches every network failure.
 */
export class APIConnectionError extends APIError {}
/**
 * The stream ended before `[DONE]` and before any finish_reason (a connection lost in the middle
 * of a 200 stream). `.partial` holds what arrived; it is an APIConnectionError through the chain.
 */
export class IncompleteStreamError extends APIConnectionError {}
/** The streamed reply passed `maxReplyBytes`; `.partial` holds what arrived until then. */
export class ReplyTooLargeError extends APIError {}
export class APIConnectionTimeoutError extends APIConnectionError {}
/** No bytes arrived for longer than `idleTimeout`. */
export class IdleTimeoutError extends APIConnectionTimeoutError {}
export class APIUserAbortError extends LLMBaseError {}
/** The caller's input cannot be sent as it is (detected before any request). */
export class InvalidArgumentError extends LLMBaseError {}

/**
 * The request would be refused by LLMBase (a capability the model does not advertise, a value
 * out of range) or exceeds the budget; found before anything was sent. `.findings` lists each
 * problem as { path, code, severity, message }.
 */
export class ValidationError extends LLMBaseError {
  /**
   * `refusal`: the core's { message, code, param } for these findings (chat_prepare.h: the first
   * three errors in words, the rest counted), so every client and the CLI say the same.
   */
  constructor(findings, refusal = {}) {
    super(refusal.message || 'Request not sent: the request failed validation.', {
      kind: 'validation',
      code: refusal.code || undefined,
      param: refusal.param || undefined,
    });
    this.findings = findings;
  }
}

/** The model stopped at the token limit (finish_reason "length") before the structured output was complete. */
export class LengthFinishReasonError extends LLMBaseError {
  constructor(completion) {
    super(
      'Could not parse the response: the model hit the token limit (finish_reason "length"); raise max_tokens or shorten the request.',
      { kind: 'length_finish_reason', code: 'length' }
    );
    this.completion = completion;
  }
}

/** The reply was stopped by the content filter (finish_reason "content_filter"). */
export class ContentFilterFinishReasonError extends LLMBaseError {
  constructor(completion) {
    super('Could not parse the response: it was stopped by the content filter (finish_reason "content_filter").', {
      kind: 'content_filter_finish_reason',
      code: 'content_filter',
    });
    this.completion = completion;
  }
}

/**
 * The model's JSON does not match the response_format schema, as the core's JSON Schema validator
 * found it. `.errors` lists every mismatch {path, rule, message}; `.path`/`.rule` name the first;
 * `.raw` is the text as received.
 */
export class StructuredOutputError extends LLMBaseError {
  constructor(errors, raw, completion) {
    const first = errors[0] || { path: '$', rule: 'unknown', message: 'does not match the schema' };
    const more = errors.length > 1 ? ` (+${errors.length - 1} more)` : '';
    super(`Structured output does not match the schema: ${first.path}: ${first.message} (rule "${first.rule}")${more}`, {
      kind: 'structured_output',
      code: first.rule,
      param: first.path,
    });
    this.errors = errors;
    this.path = first.path;
    this.rule = first.rule;
    this.raw = raw;
    this.completion = completion;
  }
}

/** The tool loop stopped without a final answer (maxChatCompletions or maxRepairs reached). */
export class ToolLoopError extends LLMBaseError {
  constructor(record, fields = {}) {
    super(record.message, { kind: 'tool_loop', code: record.code, ...fields });
  }
}

const CLASS_BY_KIND = {
  invalid_argument: InvalidArgumentError,
  bad_request: BadRequestError,
  authentication: AuthenticationError,
  insufficient_balance: InsufficientBalanceError,
  permission_denied: PermissionDeniedError,
  not_found: NotFoundError,
  conflict: ConflictError,
  unprocessable_entity: UnprocessableEntityError,
  rate_limit: RateLimitError,
  concurrency_limit: ConcurrencyLimitError,
  internal_server: InternalServerError,
  api_status: APIError,
  stream_error: APIError,
  invalid_response: APIError,
  incomplete_stream: IncompleteStreamError,
  event_too_large: APIError,
  reply_too_large: ReplyTooLargeError,
  connection: APIConnectionError,
  timeout: APIConnectionTimeoutError,
  idle_timeout: IdleTimeoutError,
  user_abort: APIUserAbortError,
  tool_loop: ToolLoopError,
};

/**
 * Turns a core error record ({kind, status, code, type, param, message}) into an error instance.
 * `context` adds what only the JS side knows: response headers and the partial completion.
 */
export function errorFromCore(record, context = {}) {
  const ErrorClass = CLASS_BY_KIND[record.kind] || APIError;
  const headers = context.headers;
  return new ErrorClass(record.message, {
    kind: record.kind,
    status: record.status,
    code: record.code,
    type: record.type,
    param: record.param,
    headers,
    requestId: headers ? headers['x-request-id'] : undefined,
    partial: context.partial,
  });
}
