// libFuzzer target: ChatStreamDecoder, its accumulator, ResponseConsumer and ApiCall's retries
// on arbitrary bodies: split-independent results, valid JSON chunks, completions that serialise.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/chat_stream.h"
#include "core/http_policy.h"
#include "core/json_text.h"
#include "fuzz_support.h"

namespace {

using llmbase::CallUpdate;
using llmbase::ChatStreamAccumulator;
using llmbase::ChatStreamDecoder;
using llmbase::Error;
using llmbase::ErrorKind;
using llmbase::ResponseConsumer;
using llmbase::SseDecoder;
using llmbase::StreamBatch;
using nlohmann::json;
namespace fz = llmbase::fuzz;

constexpr const char* kApiKey = "llmbase_fuzz0key7Q";

struct Outcome {
  std::vector<std::string> chunks;
  bool done = false;
  Error error;
  std::string completion;
};

void check_error_text(const Error& e) {
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(e.message));
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(e.code));
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(e.type));
  LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(e.param));
}

// The completion must serialise, parse back and keep its shape whatever the stream held.
std::string checked_completion(const ChatStreamAccumulator& acc) {
  const json completion = acc.completion();
  const std::string text = fz::dump(completion);
  const json back = fz::parse_output(text);
  LLMBASE_FUZZ_CHECK(back.is_object() && back["object"] == "chat.completion");
  LLMBASE_FUZZ_CHECK(back["choices"].is_array());
  return text;
}

Outcome run_decoder(const std::vector<std::string_view>& pieces, std::size_t limit) {
  Outcome o;
  ChatStreamDecoder decoder(limit);
  for (std::string_view piece : pieces) {
    const bool was_ended = decoder.ended();
    StreamBatch batch;
    decoder.feed(piece, batch);
    if (was_ended) {
      LLMBASE_FUZZ_CHECK(batch.chunks.empty() && !batch.done && batch.error.ok());
      continue;
    }
    for (std::string_view chunk : batch.chunks) {
      // Chunks are handed on as received: they must be valid UTF-8 JSON objects.
      LLMBASE_FUZZ_CHECK(fz::is_valid_utf8(chunk));
      LLMBASE_FUZZ_CHECK(fz::parse_output(std::string(chunk)).is_object());
      o.chunks.emplace_back(chunk);
    }
    LLMBASE_FUZZ_CHECK(!(batch.done && !batch.error.ok()));
    if (batch.done) {
      LLMBASE_FUZZ_CHECK(decoder.done());
      o.done = true;
    }
    if (!batch.error.ok()) {
      LLMBASE_FUZZ_CHECK(decoder.ended() && !decoder.done());
      check_error_text(batch.error);
      o.error = batch.error;
    }
  }
  const bool was_ended = decoder.ended();
  StreamBatch end;
  decoder.finish(end);
  LLMBASE_FUZZ_CHECK(decoder.ended());
  if (!was_ended) {
    LLMBASE_FUZZ_CHECK(end.done != !end.error.ok());
    LLMBASE_FUZZ_CHECK(end.done || end.error.kind == ErrorKind::kIncompleteStream);
    o.done = end.done;
    if (!end.error.ok()) o.error = end.error;
  }
  LLMBASE_FUZZ_CHECK(decoder.accumulator().chunk_count() == o.chunks.size());
  o.completion = checked_completion(decoder.accumulator());
  return o;
}

// The same bytes as an HTTP response body, with a status and content type taken from the input.
void run_consumer(std::string_view input, const std::vector<std::string_view>& pieces,
                  fz::InputRng& rng, const Outcome* stream_outcome) {
  static constexpr int kStatuses[] = {200, 200, 200, 201, 400, 401, 402, 404, 429, 500, 503, 302};
  const int status = kStatuses[rng.below(sizeof kStatuses / sizeof kStatuses[0])];
  const bool stream = rng.below(4) != 0;
  const bool sse = rng.below(4) != 0;
  ResponseConsumer consumer(stream, kApiKey, /*array_body_ok=*/rng.below(2) == 0);
  consumer.on_status(status, sse ? "text/event-stream; charset=utf-8" : "application/json");
  std::vector<std::string> chunks;
  CallUpdate last;
  bool finished = false;
  auto take = [&](CallUpdate& u) {
    for (std::string_view c : u.chunks) chunks.emplace_back(c);
    LLMBASE_FUZZ_CHECK(u.retry_delay_ms < 0);  // retries are ApiCall's business
    if (!u.finished) return;
    LLMBASE_FUZZ_CHECK(!finished);
    finished = true;
    check_error_text(u.error);
    LLMBASE_FUZZ_CHECK(u.error.message.find(kApiKey) == std::string::npos);
    fz::parse_output(fz::dump(u.result));
    last = std::move(u);
  };
  for (std::string_view piece : pieces) {
    CallUpdate u;
    consumer.on_body(piece, u);
    take(u);
  }
  CallUpdate u;
  if (rng.below(8) == 0) {
    consumer.on_transport_error(ErrorKind::kConnection, std::string("reset: ") + kApiKey, u);
  } else {
    consumer.on_end(u);
  }
  take(u);
  LLMBASE_FUZZ_CHECK(finished && consumer.finished());
  if (status >= 300) LLMBASE_FUZZ_CHECK(!last.error.ok());
  if (stream_outcome != nullptr && stream && sse && status == 200 && last.error.ok()) {
    // A 2xx SSE body goes through the same decoder: same chunks, same completion.
    LLMBASE_FUZZ_CHECK(chunks == stream_outcome->chunks);
    LLMBASE_FUZZ_CHECK(fz::dump(last.result) == stream_outcome->completion);
  }
  (void)input;
}

// Retry-After values: cut from the input, or ones the parser treats specially.
std::string retry_hint(std::string_view input, fz::InputRng& rng) {
  static constexpr const char* kHints[] = {"",
                                           "1.5",
                                           "120",
                                           "Sun, 06 Nov 1994 08:49:37 GMT",
                                           "99999999999999999999",
                                           "9223372036854775807"};
  if (rng.below(2) == 0) return kHints[rng.below(sizeof kHints / sizeof kHints[0])];
  return std::string(input.substr(rng.below(input.size() + 1), rng.below(33)));
}

// The retry machinery around the consumer: ApiCall over up to 4 attempts, with the server's
// wait hints taken from the input. A delay is never negative nor above the policy's bounds.
void run_api_call(std::string_view input, const std::vector<std::string_view>& pieces,
                  fz::InputRng& rng) {
  static constexpr int kStatuses[] = {200, 408, 409, 429, 500, 503};
  llmbase::CallOptions options;
  options.retry.max_retries = static_cast<int>(rng.below(3));
  options.seed = rng.next();
  const std::int64_t max_delay =
      std::max(options.retry.max_retry_after_ms, options.retry.max_backoff_ms);
  const bool stream = rng.below(2) == 0;
  llmbase::ApiCall call({"POST", "https://api.llmbase.ai/v1/chat/completions", {}, "{}"}, stream,
                        kApiKey, options);
  for (int attempt = 1; attempt <= 4; ++attempt) {
    LLMBASE_FUZZ_CHECK(call.attempt() == attempt);
    const llmbase::RetryHints hints{retry_hint(input, rng), retry_hint(input, rng),
                                    static_cast<std::int64_t>(rng.below(std::size_t{1} << 42))};
    call.on_response(kStatuses[rng.below(sizeof kStatuses / sizeof kStatuses[0])],
                     rng.below(2) ? "text/event-stream" : "application/json", hints);
    CallUpdate last;
    for (std::string_view piece : pieces) {
      CallUpdate u;
      call.on_body(piece, u);
      if (u.finished || u.retry_delay_ms >= 0) {
        last = std::move(u);
        break;
      }
    }
    if (!last.finished && last.retry_delay_ms < 0) call.on_end(last);
    LLMBASE_FUZZ_CHECK(last.finished != (last.retry_delay_ms >= 0));
    if (last.finished) break;
    LLMBASE_FUZZ_CHECK(last.retry_delay_ms <= max_delay && !last.error.ok());
    LLMBASE_FUZZ_CHECK(last.error.message.find(kApiKey) == std::string::npos);
  }

  const llmbase::RetryHints hints{retry_hint(input, rng), retry_hint(input, rng),
                                  static_cast<std::int64_t>(rng.next())};
  const llmbase::RetryPolicy policy;
  const int retry = static_cast<int>(rng.below(40)) - 2;
  const double random01 = static_cast<double>(rng.below(1000)) / 999;  // 1.0 included on purpose
  const std::int64_t delay = llmbase::retry_delay_ms(retry, hints, policy, random01);
  LLMBASE_FUZZ_CHECK(delay >= 0 &&
                     delay <= std::max(policy.max_retry_after_ms, policy.max_backoff_ms));
  LLMBASE_FUZZ_CHECK(llmbase::parse_http_date_ms(hints.retry_after) >= -1);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input = fz::as_text(bytes, size);
  fz::InputRng rng(input);
  static constexpr std::size_t kLimits[] = {64, 4096, SseDecoder::kDefaultMaxEventBytes,
                                            SseDecoder::kDefaultMaxEventBytes};
  const std::size_t limit = kLimits[rng.below(4)];

  // The result must not depend on how the body is split into reads.
  const Outcome whole = run_decoder({input}, limit);
  const std::vector<std::string_view> pieces = fz::split_pieces(input, rng);
  const Outcome split = run_decoder(pieces, limit);
  LLMBASE_FUZZ_CHECK(split.chunks == whole.chunks);
  LLMBASE_FUZZ_CHECK(split.done == whole.done);
  LLMBASE_FUZZ_CHECK(split.error.kind == whole.error.kind);
  LLMBASE_FUZZ_CHECK(split.error.code == whole.error.code);
  LLMBASE_FUZZ_CHECK(split.completion == whole.completion);

  run_consumer(input, pieces, rng, limit == SseDecoder::kDefaultMaxEventBytes ? &split : nullptr);
  run_api_call(input, pieces, rng);

  // The accumulator on its own: an input that is a JSON array is a list of chunks.
  const json list = llmbase::parse_json_text(input);
  if (list.is_array()) {
    ChatStreamAccumulator acc;
    for (const auto& chunk : list) acc.add_chunk(chunk);
    checked_completion(acc);
  }
  return 0;
}
