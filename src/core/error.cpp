// Names of error kinds and key redaction.
#include "error.h"

#include <cctype>
#include <iterator>
#include <utility>

namespace llmbase {
namespace {

struct KindName {
  ErrorKind kind;
  const char* name;
};

constexpr KindName kKindNames[] = {
    {ErrorKind::kNone, "none"},
    {ErrorKind::kInvalidArgument, "invalid_argument"},
    {ErrorKind::kBadRequest, "bad_request"},
    {ErrorKind::kAuthentication, "authentication"},
    {ErrorKind::kInsufficientBalance, "insufficient_balance"},
    {ErrorKind::kPermissionDenied, "permission_denied"},
    {ErrorKind::kNotFound, "not_found"},
    {ErrorKind::kConflict, "conflict"},
    {ErrorKind::kUnprocessable, "unprocessable_entity"},
    {ErrorKind::kRateLimit, "rate_limit"},
    {ErrorKind::kConcurrencyLimit, "concurrency_limit"},
    {ErrorKind::kInternalServer, "internal_server"},
    {ErrorKind::kApiStatus, "api_status"},
    {ErrorKind::kStreamError, "stream_error"},
    {ErrorKind::kInvalidResponse, "invalid_response"},
    {ErrorKind::kIncompleteStream, "incomplete_stream"},
    {ErrorKind::kEventTooLarge, "event_too_large"},
    {ErrorKind::kReplyTooLarge, "reply_too_large"},
    {ErrorKind::kConnection, "connection"},
    {ErrorKind::kTimeout, "timeout"},
    {ErrorKind::kIdleTimeout, "idle_timeout"},
    {ErrorKind::kUserAbort, "user_abort"},
    {ErrorKind::kValidation, "validation"},
    {ErrorKind::kToolLoop, "tool_loop"},
};

}  // namespace

const char* error_kind_name(ErrorKind kind) {
  for (const auto& entry : kKindNames) {
    if (entry.kind == kind) return entry.name;
  }
  return "api_status";
}

ErrorKind error_kind_from_name(const std::string& name) {
  for (const auto& entry : kKindNames) {
    if (name == entry.name) return entry.kind;
  }
  return ErrorKind::kApiStatus;
}

namespace {

std::string redact_with(std::string text, const std::string& secret, const char* marker) {
  // Keys shorter than 8 characters are not real keys; redacting them would mangle ordinary text.
  if (secret.size() < 8) return text;
  const std::string shown = secret.substr(0, 8) + marker;
  std::string::size_type pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), shown);
    pos += shown.size();
  }
  return text;
}

}  // namespace

std::string redact_secret(std::string text, const std::string& secret) {
  return redact_with(std::move(text), secret, "…[redacted]");
}

std::string redact_header_value(std::string value, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets)
    value = redact_with(std::move(value), secret, "...[redacted]");
  return value;
}

void redact_error(Error& error, const std::vector<std::string>& secrets) {
  for (const std::string& secret : secrets) {
    for (std::string* field : {&error.message, &error.code, &error.type, &error.param}) {
      *field = redact_secret(std::move(*field), secret);
    }
  }
}

bool is_secret_header(const std::string& name) {
  std::string lower;
  for (char c : name) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return lower == "authorization" || lower == "proxy-authorization" || lower == "x-api-key" ||
         lower == "api-key" || lower == "cookie";
}

std::vector<std::string> header_secrets(
    const std::vector<std::pair<std::string, std::string>>& headers) {
  std::vector<std::string> out;
  for (const auto& [name, value] : headers) {
    if (!is_secret_header(name)) continue;
    std::string token = value;
    // "Bearer X" / "Basic X": the scheme word is not secret, X is (and the whole value is).
    const auto space = token.find(' ');
    if (space != std::string::npos) {
      std::string rest = token.substr(space + 1);
      while (!rest.empty() && rest.front() == ' ') rest.erase(0, 1);
      if (!rest.empty()) out.push_back(rest);
    }
    out.push_back(std::move(token));
  }
  return out;
}

std::string transport_error_text(ErrorKind kind, std::int64_t limit_ms, const std::string& detail) {
  switch (kind) {
    case ErrorKind::kTimeout:
      return "Request timed out after " + std::to_string(limit_ms) + " ms (timeout).";
    case ErrorKind::kIdleTimeout:
      return "No data received for " + std::to_string(limit_ms) + " ms (idleTimeout).";
    case ErrorKind::kUserAbort: return "Request was aborted.";
    default:
      return detail.empty() ? "The server closed the connection without a response."
                            : "Connection error: " + detail;
  }
}

}  // namespace llmbase
