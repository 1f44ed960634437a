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
/** The stream ended before `[DONE]` and before any finish_reason. */
export class IncompleteStreamError extends APIError {}
/** The streamed reply passed `maxReplyBytes`; `.partial` holds what arrived until then. */
export class ReplyTooLargeError extends APIError {}

export class APIConnectionError extends LLMBaseError {}
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
  constructor(findings, fields = {}) {
    const errors = findings.filter((f) => f.severity === 'error');
    const shown = errors.slice(0, 3).map((f) => (f.path ? `${f.path}: ${f.message}` : f.message));
    const more = errors.length > 3 ? ` (+${errors.length - 3} more)` : '';
    super(`Request not sent: ${shown.join('; ')}${more}`, { kind: 'validation', code: errors[0] ? errors[0].code : undefined, param: errors[0] ? errors[0].path : undefined, ...fields });
    this.findings = findings;
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
