// HTTP policy: which error kind a response means, and whether and when to retry (llmbase-api.md §14, Decisions §5, §7).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "client_defaults.h"
#include "error.h"

namespace llmbase {

// Kind for a non-2xx status; `code` is the envelope's error.code (it tells a concurrency-guard
// 429 from an ordinary rate limit).
ErrorKind error_kind_for_status(int status, std::string_view code);

// Builds the typed error for a non-2xx response from its (possibly non-JSON, possibly empty)
// body. The message always says what happened; `api_key` is redacted from every field.
Error error_from_response(int status, std::string_view body, const std::string& api_key);

struct RetryPolicy {
  int max_retries = client_defaults::kMaxRetries;
  // A longer server hint falls back to backoff.
  std::int64_t max_retry_after_ms = client_defaults::kMaxRetryAfterMs;
  std::int64_t initial_backoff_ms = 500;
  std::int64_t max_backoff_ms = 8'000;
};

// What the server said about waiting, read from the response headers by the transport.
struct RetryHints {
  std::string retry_after_ms;  // `retry-after-ms` header, empty when absent
  std::string retry_after;     // `retry-after` header: seconds or an HTTP date
  std::int64_t now_ms = 0;     // the transport's clock (Unix ms), for HTTP dates
};

// Errors worth another attempt: connection failures, an idle timeout before any byte, 408,
// 409, 429 and >= 500. Client-side refusals, 4xx and stream content errors are final.
bool is_retryable(const Error& error);

// Delay before retry number `retry` (1-based): the server's hint when it is within
// [0, max_retry_after_ms], else exponential backoff from initial_backoff_ms doubling up to
// max_backoff_ms, less up to 25 % jitter (`random01` in [0, 1), supplied by the caller so
// the core stays deterministic and testable).
std::int64_t retry_delay_ms(int retry, const RetryHints& hints, const RetryPolicy& policy,
                            double random01);

// Parses an IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") to Unix ms; -1 when malformed.
std::int64_t parse_http_date_ms(std::string_view text);

}  // namespace llmbase
