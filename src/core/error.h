// Errors as values: the one error record every core function returns instead of throwing.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace llmbase {

// Stable kinds; the JS layer maps each to one class of its error hierarchy (by name()).
enum class ErrorKind {
  kNone,
  kInvalidArgument,      // the caller's input is unusable (bad params, bad key for this host)
  kBadRequest,           // HTTP 400
  kAuthentication,       // HTTP 401, or a key refused locally (missing, agents key on this host)
  kInsufficientBalance,  // HTTP 402
  kPermissionDenied,     // HTTP 403
  kNotFound,             // HTTP 404
  kConflict,             // HTTP 409
  kUnprocessable,        // HTTP 422
  kRateLimit,            // HTTP 429
  kConcurrencyLimit,     // HTTP 429 with code too_many_concurrent_requests
  kInternalServer,       // HTTP >= 500
  kApiStatus,            // any other non-2xx status
  kStreamError,          // an error frame inside a 200 stream
  kInvalidResponse,      // a body or chunk that is not the JSON it must be
  kIncompleteStream,     // the body ended before [DONE] and before a finish_reason
  kEventTooLarge,        // one SSE line/event above the decoder's limit
  kReplyTooLarge,        // the accumulated reply passed its cap (ReplyLimits)
  kConnection,           // the transport failed (DNS, refused, reset)
  kTimeout,              // total time limit reached
  kIdleTimeout,          // no bytes for longer than the idle limit
  kUserAbort,            // the caller aborted
  kValidation,           // refused before sending: findings against the model metadata
  kToolLoop,             // a tool run stopped without an answer (tool_loop.h codes)
};

// Stable snake_case name of a kind, shared with JS and the native CLI.
const char* error_kind_name(ErrorKind kind);

// Parses a name produced by error_kind_name; unknown names map to kApiStatus.
ErrorKind error_kind_from_name(const std::string& name);

struct Error {
  ErrorKind kind = ErrorKind::kNone;
  int status = 0;       // HTTP status when one was received, else 0
  std::string code;     // error.code from the envelope, or our own stable code
  std::string type;     // error.type from the envelope
  std::string param;    // error.param: the request field at fault, when known
  std::string message;  // human text; never contains the API key

  bool ok() const { return kind == ErrorKind::kNone; }
};

inline Error make_error(ErrorKind kind, std::string code, std::string message,
                        std::string param = {}) {
  Error e;
  e.kind = kind;
  e.code = std::move(code);
  e.message = std::move(message);
  e.param = std::move(param);
  return e;
}

// The words of a transport failure, one text for libcurl and for fetch (so both CLIs print the
// same line): kTimeout and kIdleTimeout name `limit_ms`, kConnection gives `detail` as the cause,
// kUserAbort needs neither.
std::string transport_error_text(ErrorKind kind, std::int64_t limit_ms = 0,
                                 const std::string& detail = {});

// Replaces every occurrence of `secret` in `text` with a redacted form, so error text that
// echoes a request (or a server that echoes the key) never leaks it. Empty secret: no-op.
std::string redact_secret(std::string text, const std::string& secret);

// A response header value with each of `secrets` redacted, in ASCII ("...[redacted]"): header
// values are bytes, so the message form's "…" cannot be used there.
std::string redact_header_value(std::string value, const std::vector<std::string>& secrets);

// The one redaction rule both clients use: every string field of `error` (message, code, type,
// param) with each of `secrets` redacted. A server can echo a key into any field, not only the
// message, so no field of an error handed to a caller is left out.
void redact_error(Error& error, const std::vector<std::string>& secrets);

// The credentials a request carries in its headers: the value of each Authorization-like header
// (Authorization, Proxy-Authorization, X-Api-Key, Api-Key, Cookie) and, for "Bearer X", X itself.
// A key given as a header (`--header "Authorization: Bearer …"`, `defaultHeaders`) is then
// redacted like the apiKey.
std::vector<std::string> header_secrets(
    const std::vector<std::pair<std::string, std::string>>& headers);

// True for a header whose value is a credential (the names above, any case): print its name only.
bool is_secret_header(const std::string& name);

}  // namespace llmbase
