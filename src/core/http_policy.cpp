// Status → error kind mapping, error-body parsing, and the retry policy.
#include "http_policy.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "chat_stream.h"
#include "json_text.h"
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
  auto parsed = parse_json_text(body);
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
  redact_error(e, {api_key});
  return e;
}

bool is_retryable(const Error& error) {
  switch (error.kind) {
    case ErrorKind::kConnection:
    case ErrorKind::kIdleTimeout:
    case ErrorKind::kConflict:
    case ErrorKind::kRateLimit:
    case ErrorKind::kConcurrencyLimit:
    case ErrorKind::kInternalServer: return true;
    case ErrorKind::kApiStatus: return error.status == 408;
    default: return false;
  }
}

namespace {

// Non-negative decimal number (integer or fraction) → value; -1 when it is anything else.
double parse_non_negative(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  if (text.empty() || text.size() > 20) return -1;
  bool dot = false;
  for (char c : text) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (!std::isdigit(static_cast<unsigned char>(c))) {
      return -1;
    }
  }
  return std::strtod(std::string(text).c_str(), nullptr);
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's civil algorithm).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

int parse_digits(std::string_view s, std::size_t pos, std::size_t count) {
  if (pos + count > s.size()) return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    value = value * 10 + (s[i] - '0');
  }
  return value;
}

}  // namespace

std::int64_t parse_http_date_ms(std::string_view text) {
  // "Sun, 06 Nov 1994 08:49:37 GMT": fixed positions after the 5-character day prefix.
  static constexpr std::array<const char*, 12> kMonths = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                          "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  if (text.size() != 29 || text.substr(3, 2) != ", " || text.substr(25) != " GMT") return -1;
  const int day = parse_digits(text, 5, 2);
  const std::string_view month_name = text.substr(8, 3);
  const int year = parse_digits(text, 12, 4);
  const int hour = parse_digits(text, 17, 2);
  const int minute = parse_digits(text, 20, 2);
  const int second = parse_digits(text, 23, 2);
  unsigned month = 0;
  for (unsigned i = 0; i < kMonths.size(); ++i) {
    if (month_name == kMonths[i]) month = i + 1;
  }
  if (day < 1 || day > 31 || month == 0 || year < 1970 || hour > 23 || minute > 59 || second > 60 ||
      hour < 0 || minute < 0 || second < 0 || text[7] != ' ' || text[11] != ' ' ||
      text[16] != ' ' || text[19] != ':' || text[22] != ':') {
    return -1;
  }
  const std::int64_t days = days_from_civil(year, month, static_cast<unsigned>(day));
  return ((days * 24 + hour) * 60 + minute) * 60'000 + second * 1000;
}

std::int64_t retry_delay_ms(int retry, const RetryHints& hints, const RetryPolicy& policy,
                            double random01) {
  // Kept as a double until it is known to fit: a 20-digit hint is beyond int64, and converting
  // it would be undefined behaviour.
  constexpr double kTwoTo63 = 9223372036854775808.0;
  double hinted = -1;
  if (double ms = parse_non_negative(hints.retry_after_ms); ms >= 0) {
    hinted = std::ceil(ms);
  } else if (double s = parse_non_negative(hints.retry_after); s >= 0) {
    hinted = std::ceil(s * 1000);
  } else if (std::int64_t at = parse_http_date_ms(hints.retry_after); at >= 0) {
    hinted = std::max(0.0, static_cast<double>(at) - static_cast<double>(hints.now_ms));
  }
  if (hinted >= 0 && hinted < kTwoTo63 &&
      hinted <= static_cast<double>(policy.max_retry_after_ms)) {
    return static_cast<std::int64_t>(hinted);
  }

  const int doublings = retry < 1 ? 0 : (retry > 30 ? 30 : retry - 1);
  double backoff = static_cast<double>(policy.initial_backoff_ms) * std::ldexp(1.0, doublings);
  if (backoff > static_cast<double>(policy.max_backoff_ms)) backoff = policy.max_backoff_ms;
  if (random01 < 0 || random01 >= 1) random01 = 0;
  // Jitter spreads clients that failed together so they do not retry in lockstep.
  return static_cast<std::int64_t>(backoff * (1.0 - 0.25 * random01));
}

}  // namespace llmbase
