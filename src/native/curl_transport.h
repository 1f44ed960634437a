// libcurl transport of the native client: performs what the core's ApiCall decides (attempts, retry waits).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <map>
#include <string>

#include "core/api_call.h"
#include "llmbase/client.h"

namespace llmbase::detail {

struct TransportLimits {
  std::chrono::steady_clock::time_point deadline;  // the call's total time limit
  std::chrono::milliseconds timeout{600'000};      // the same limit as a duration, for messages
  std::chrono::milliseconds idle{60'000};          // longest silence before or between bytes
  const std::atomic<bool>* cancel = nullptr;       // polled every few milliseconds
};

// Receives, once per network read, the chunks that read completed (their JSON texts, valid for
// the call only) and the call, whose accumulator holds the reply so far. Returning false
// cancels the call (kUserAbort).
using ChunkSink = StreamSink;

struct TransportOutcome {
  CallUpdate final;  // finished: result or error (with the partial result)
  int status = 0;
  std::map<std::string, std::string> headers;  // of the last response, lower-case names
};

// Runs `call` to its end: sends, streams the body into the core, and follows its retry orders.
TransportOutcome run_call(ApiCall& call, const TransportLimits& limits, const ChunkSink& on_chunk);

// libcurl's global init, once per process (thread-safe).
void ensure_curl_initialised();

}  // namespace llmbase::detail
