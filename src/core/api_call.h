// One API call without I/O: consume status, body bytes and the end of each attempt; decide retries.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "chat_stream.h"
#include "error.h"
#include "http_policy.h"
#include "http_request.h"

namespace llmbase {

// What a response delivered since the last call: chunks (streams), and once finished either
// `result` (the completion / response body) or `error` (with `result` holding the partial).
struct CallUpdate {
  ChunkList chunks;  // texts as received; a reused update keeps its buffers (see clear())
  bool finished = false;
  Error error;
  nlohmann::json result;
  // >= 0: the attempt failed in a retryable way; the transport waits this long, then sends the
  // same request again. `error` then says why (for logs), and `finished` stays false.
  std::int64_t retry_delay_ms = -1;

  // Empties the update for the next read, keeping the chunk buffer's capacity.
  void clear() {
    chunks.clear();
    finished = false;
    error = Error{};
    result = nullptr;
    retry_delay_ms = -1;
  }
};

// Consumes one HTTP response. Streams are decoded as they arrive; JSON and error bodies are
// collected (bounded) and parsed at the end.
class ResponseConsumer {
 public:
  // A non-streaming or error body above this is refused rather than buffered without bound.
  static constexpr std::size_t kMaxBufferedBody = 64u << 20;

  // `array_body_ok`: a top-level JSON array is a valid success body (metadata lists may be one).
  // `extra_secrets`: more credentials to redact from errors (see header_secrets in error.h).
  // `reply`: what a stream may keep of its reply (ReplyLimits).
  ResponseConsumer(bool stream, std::string api_key, bool array_body_ok = false,
                   std::vector<std::string> extra_secrets = {}, ReplyLimits reply = {});

  void on_status(int status, std::string_view content_type);
  void on_body(std::string_view bytes, CallUpdate& out);
  void on_end(CallUpdate& out);
  // The transport failed (connection, timeout, abort); ends the call with `kind`.
  void on_transport_error(ErrorKind kind, const std::string& message, CallUpdate& out);

  int status() const { return status_; }
  bool finished() const { return finished_; }
  // The content of the stream's choice 0 so far ("" when this is no stream).
  std::string_view stream_content() const {
    return decoding_stream() ? decoder_.accumulator().first_content() : std::string_view();
  }

 private:
  void finish_with_error(Error err, CallUpdate& out);
  bool decoding_stream() const { return stream_ && status_ >= 200 && status_ < 300 && sse_body_; }

  bool stream_;
  bool array_body_ok_;
  bool sse_body_ = true;
  std::string api_key_;
  std::vector<std::string> secrets_;  // api_key_ and extra_secrets: redacted from every error
  int status_ = 0;
  bool finished_ = false;
  std::string body_;
  ChatStreamDecoder decoder_;
  StreamBatch batch_;  // reused by every read of a stream
};

struct CallOptions {
  RetryPolicy retry;
  std::uint64_t seed = 0;      // seeds the backoff jitter; the transport passes a random value
  bool array_body_ok = false;  // see ResponseConsumer
  ReplyLimits reply;           // the stream's reply cap and whether content is kept
};

// One API call over possibly several attempts: wraps a ResponseConsumer per attempt and turns
// a retryable failure into a retry instruction (Decisions §7), never once a 2xx body byte has
// reached the caller. Transports (fetch in wasm, libcurl natively) only do what it says.
class ApiCall {
 public:
  ApiCall(HttpRequest request, bool stream, std::string api_key, CallOptions options);

  const HttpRequest& request() const { return request_; }
  int attempt() const { return attempt_; }  // 1-based
  std::string_view stream_content() const { return consumer_.stream_content(); }

  void on_response(int status, std::string_view content_type, const RetryHints& hints);
  void on_body(std::string_view bytes, CallUpdate& out);
  void on_end(CallUpdate& out);
  void on_transport_error(ErrorKind kind, const std::string& message, CallUpdate& out);

 private:
  void maybe_retry(CallUpdate& out);
  double next_random();

  HttpRequest request_;
  bool stream_;
  std::string api_key_;
  CallOptions options_;
  ResponseConsumer consumer_;
  RetryHints hints_;
  int attempt_ = 1;
  bool streamed_ = false;
  std::uint64_t rng_state_;
};

}  // namespace llmbase
