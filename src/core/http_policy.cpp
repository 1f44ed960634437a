// Status → error kind mapping and error-body parsing.
#include "http_policy.h"

#include <nlohmann/json.hpp>

#include "chat_stream.h"
#include "sse_decoder.h"

namespace llmbase {

ErrorKind error_kind_for_status(int status, std::string_view code) {
  switch (status) {
    case 400: return ErrorKind::kBadRequest;
    case 401: return ErrorKind::kAuthentication;
    case 402: return ErrorKind::kInsufficientBalance;
    case 403: return ErrorKind::kPermissionDenied;
    case 404: return ErrorKind::kNotFound;
    case 409: return ErrorKind::kConflict;
    case 422: return ErrorKind::kUnprocessable;
    case 429:
      return code == "too_many_concurrent_requests" ? ErrorKind::kConcurrencyLimit
                                                    : ErrorKind::kRateLimit;
    default: break;
  }
  if (status >= 500) return ErrorKind::kInternalServer;
  return ErrorKind::kApiStatus;
}

Error error_from_response(int status, std::string_view body, const std::string& api_key) {
  auto parsed = nlohmann::json::parse(body, nullptr, /*allow_exceptions=*/false);
  Error e;
  if (!parsed.is_discarded()) {
    e = error_from_envelope(parsed, ErrorKind::kApiStatus, status);
  }
  e.status = status;
  e.kind = error_kind_for_status(status, e.code);
  if (e.message.empty()) {
    // No envelope: keep a short, valid-UTF-8 excerpt of what the server said.
    std::string excerpt = sanitize_utf8(body.substr(0, 200));
    e.message = "HTTP " + std::to_string(status) +
                (excerpt.empty() ? std::string(" with an empty body") : ": " + excerpt);
  }
  e.message = redact_secret(std::move(e.message), api_key);
  return e;
}

}  // namespace llmbase
