// The clients' default limits, written once: the native Client and http_policy.h use them, the JS client's DEFAULTS is pinned to them.
#pragma once

#include <cstdint>

namespace llmbase::client_defaults {

inline constexpr int kMaxRetries = 2;  // connection errors, 408, 409, 429, >= 500
inline constexpr std::int64_t kTimeoutMs = 10 * 60 * 1000;   // whole call, retries included
inline constexpr std::int64_t kIdleTimeoutMs = 60 * 1000;    // longest silence of a response
inline constexpr std::int64_t kMaxRetryAfterMs = 60 * 1000;  // longer server hints use backoff
inline constexpr int kMaxConcurrency = 20;  // LLMBase's per-account guard (llmbase-api.md §13)
inline constexpr std::int64_t kMetadataTtlMs = 10 * 60 * 1000;

}  // namespace llmbase::client_defaults
