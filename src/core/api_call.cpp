// Response consumption for one API call (stream or JSON body, bounded) and the retry decision across attempts.
#include "api_call.h"

#include "http_policy.h"
#include "json_text.h"

using nlohmann::json;

namespace llmbase {

ResponseConsumer::ResponseConsumer(bool stream, std::string api_key, bool array_body_ok,
                                   std::vector<std::string> extra_secrets, ReplyLimits reply)
    : stream_(stream),
      array_body_ok_(array_body_ok),
      api_key_(std::move(api_key)),
      secrets_(std::move(extra_secrets)),
      decoder_(SseDecoder::kDefaultMaxEventBytes, reply) {
  secrets_.insert(secrets_.begin(), api_key_);
}

void ResponseConsumer::on_status(int status, std::string_view content_type) {
  status_ = status;
  // A server may answer a stream request with a plain JSON completion; accept it as such.
  sse_body_ = content_type.find("application/json") == std::string_view::npos;
}

void ResponseConsumer::on_body(std::string_view bytes, CallUpdate& out) {
  if (finished_) return;
  if (decoding_stream()) {
    batch_.chunks.clear();
    batch_.done = false;
    batch_.error = Error{};
    decoder_.feed(bytes, batch_);
    // Swapped, not copied: the two buffers take turns and keep their capacity.
    if (out.chunks.empty()) {
      out.chunks.swap(batch_.chunks);
    } else {
      out.chunks.append(batch_.chunks);
    }
    if (!batch_.error.ok()) finish_with_error(std::move(batch_.error), out);
    // [DONE] ends the call at once; trailing bytes are ignored.
    if (batch_.done && !finished_) on_end(out);
    return;
  }
  if (body_.size() + bytes.size() > kMaxBufferedBody) {
    finish_with_error(
        make_error(ErrorKind::kInvalidResponse, "body_too_large",
                   "The response body exceeded " + std::to_string(kMaxBufferedBody) + " bytes."),
        out);
    return;
  }
  body_.append(bytes.data(), bytes.size());
}

void ResponseConsumer::on_end(CallUpdate& out) {
  if (finished_) return;
  if (status_ < 200 || status_ >= 300) {
    finish_with_error(error_from_response(status_, body_, api_key_), out);
    return;
  }
  if (decoding_stream()) {
    StreamBatch batch;
    decoder_.finish(batch);
    if (!batch.error.ok()) {
      finish_with_error(std::move(batch.error), out);
      return;
    }
    finished_ = true;
    out.finished = true;
    out.result = decoder_.accumulator().completion();
    return;
  }
  json parsed = parse_json_text(body_);
  body_.clear();
  if (parsed.is_discarded() || !(parsed.is_object() || (array_body_ok_ && parsed.is_array()))) {
    finish_with_error(make_error(ErrorKind::kInvalidResponse, "invalid_json",
                                 "The server answered " + std::to_string(status_) +
                                     " with a body that is not a JSON object."),
                      out);
    return;
  }
  finished_ = true;
  out.finished = true;
  out.result = std::move(parsed);
}

void ResponseConsumer::on_transport_error(ErrorKind kind, const std::string& message,
                                          CallUpdate& out) {
  if (finished_) return;
  Error e;
  e.kind = kind;
  e.status = status_;
  e.code = error_kind_name(kind);
  e.message = redact_secret(message, api_key_);
  // A connection lost in the middle of a 200 stream is an incomplete stream (Decisions §6): the
  // caller gets the typed error for "the reply is cut short", with the cause in the message.
  if (kind == ErrorKind::kConnection && decoding_stream()) {
    e.kind = ErrorKind::kIncompleteStream;
    e.code = "incomplete_stream";
    e.message = "The connection closed before the stream finished; the reply is incomplete (" +
                e.message + ").";
  }
  finish_with_error(std::move(e), out);
}

void ResponseConsumer::finish_with_error(Error err, CallUpdate& out) {
  finished_ = true;
  out.finished = true;
  redact_error(err, secrets_);  // every field, whatever the server echoed into it (error.h)
  out.error = std::move(err);
  // Whatever arrived before the failure stays available to the caller.
  if (decoding_stream()) out.result = decoder_.accumulator().completion();
}

ApiCall::ApiCall(HttpRequest request, bool stream, std::string api_key, CallOptions options)
    : request_(std::move(request)),
      stream_(stream),
      api_key_(std::move(api_key)),
      options_(options),
      consumer_(stream, api_key_, options.array_body_ok, header_secrets(request_.headers),
                options.reply),
      rng_state_(options.seed) {}

void ApiCall::on_response(int status, std::string_view content_type, const RetryHints& hints) {
  hints_ = hints;
  consumer_.on_status(status, content_type);
}

void ApiCall::on_body(std::string_view bytes, CallUpdate& out) {
  if (!bytes.empty() && consumer_.status() >= 200 && consumer_.status() < 300) streamed_ = true;
  consumer_.on_body(bytes, out);
  maybe_retry(out);
}

void ApiCall::on_end(CallUpdate& out) {
  consumer_.on_end(out);
  maybe_retry(out);
}

void ApiCall::on_transport_error(ErrorKind kind, const std::string& message, CallUpdate& out) {
  consumer_.on_transport_error(kind, message, out);
  maybe_retry(out);
}

void ApiCall::maybe_retry(CallUpdate& out) {
  if (!out.finished || out.error.ok() || streamed_) return;
  if (attempt_ > options_.retry.max_retries || !is_retryable(out.error)) return;
  out.retry_delay_ms = retry_delay_ms(attempt_, hints_, options_.retry, next_random());
  out.finished = false;
  out.result = nullptr;
  ++attempt_;
  consumer_ = ResponseConsumer(stream_, api_key_, options_.array_body_ok,
                               header_secrets(request_.headers), options_.reply);
  hints_ = RetryHints{};
}

double ApiCall::next_random() {
  // splitmix64: tiny, good enough for jitter, and reproducible from the seed in tests.
  std::uint64_t z = (rng_state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  z ^= z >> 31;
  return static_cast<double>(z >> 11) * 0x1.0p-53;
}

}  // namespace llmbase
