// GoogleTest: what the fuzzers found (tests/fixtures/fuzz-regressions, README.md there), replayed.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <iterator>
#include <limits>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#define LLMBASE_HEAP_IN_USE() (mallinfo2().uordblks + mallinfo2().hblkhd)
#elif defined(__EMSCRIPTEN__)
// The wasm test binary links emmalloc, the module's allocator (cmake/wasm-tests.cmake).
#include <emscripten/emmalloc.h>
#define LLMBASE_HEAP_IN_USE() (emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory())
#endif

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/chat_stream.h"
#include "core/cost.h"
#include "core/http_policy.h"
#include "core/json_text.h"
#include "core/model_metadata.h"
#include "core/partial_json.h"
#include "core/request_validator.h"
#include "core/sse_decoder.h"

namespace llmbase {
namespace {

using nlohmann::json;

std::string fixture(const std::string& name) {
  const std::string path = std::string(LLMBASE_FIXTURES_DIR) + "/fuzz-regressions/" + name;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << path;
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

bool is_utf8(const std::string& s) { return sanitize_utf8(s) == s; }

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

json parse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text.substr(0, 200);
  return j;
}

std::string nested_arrays(std::size_t depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

// ---- sse_decoder-oversized-line-kept.bin ----
// A fixture stream fed at once to a decoder with a 2-byte limit: the decoder failed correctly,
// but had copied the whole first line (and would copy any oversized feed) and kept that buffer
// until it was destroyed.

TEST(FuzzRegressions, SseDecoderFailsAnOversizedFirstLine) {
  const std::string input = fixture("sse_decoder-oversized-line-kept.bin");
  SseDecoder decoder(2);
  std::vector<SseEvent> events;
  EXPECT_EQ(decoder.feed(input, events).kind, ErrorKind::kEventTooLarge);
  EXPECT_TRUE(events.empty());
}

TEST(FuzzRegressions, SseDecoderKeepsNoCopyOfAnOversizedFeed) {
#if (defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)) || defined(__EMSCRIPTEN__)
  // The same input made into one 32 MiB line, so what the decoder holds can be measured.
  std::string line;
  for (char c : fixture("sse_decoder-oversized-line-kept.bin")) {
    if (c != '\r' && c != '\n') line += c;
  }
  ASSERT_FALSE(line.empty());
  std::string big;
  while (big.size() < (32u << 20)) big += line;
  const auto in_use = [] { return static_cast<std::size_t>(LLMBASE_HEAP_IN_USE()); };
  const std::size_t before = in_use();
  SseDecoder decoder(64u << 10);
  std::vector<SseEvent> events;
  EXPECT_EQ(decoder.feed(big, events).kind, ErrorKind::kEventTooLarge);
  const std::size_t after = in_use();
  EXPECT_LT(after - std::min(after, before), std::size_t{1} << 20);
#else
  GTEST_SKIP() << "needs glibc's mallinfo2 or emmalloc";
#endif
}

// ---- sse_decoder-invalid-utf8-event-type.bin ----
// `event: mess\xC0\xC0…`: the data was sanitised, the event type (and the id) were handed on
// as raw bytes, although the decoder promises valid UTF-8 (WHATWG §9.2.6 decodes the stream).

TEST(FuzzRegressions, SseDecoderHandsOnValidUtf8EventTypes) {
  SseDecoder decoder;
  std::vector<SseEvent> events;
  ASSERT_TRUE(decoder.feed(fixture("sse_decoder-invalid-utf8-event-type.bin"), events).ok());
  ASSERT_FALSE(events.empty());
  bool replaced = false;
  for (const auto& ev : events) {
    EXPECT_TRUE(is_utf8(ev.event) && is_utf8(ev.id) && is_utf8(ev.data));
    replaced = replaced || ev.event.find("\xEF\xBF\xBD") != std::string::npos;
  }
  EXPECT_TRUE(replaced);
}

TEST(FuzzRegressions, SseDecoderHandsOnValidUtf8Ids) {
  SseDecoder decoder;
  std::vector<SseEvent> events;
  ASSERT_TRUE(decoder
                  .feed("event: a\xFF"
                        "b\nid: \xC0x\ndata: d\n\n",
                        events)
                  .ok());
  ASSERT_EQ(events.size(), 1u);
  EXPECT_EQ(events[0].event,
            "a\xEF\xBF\xBD"
            "b");
  EXPECT_EQ(events[0].id, "\xEF\xBF\xBDx");
  EXPECT_EQ(decoder.last_event_id(), "\xEF\xBF\xBDx");
}

// ---- *-deep-nesting.bin ----
// 12,000-25,000 nested arrays inside a chunk, a metadata entry or a request (24-50 KB, far
// below the 8 MiB event limit) parse fine, but copying, comparing or dumping them recursed once
// per level: stack overflow (native and ASan), abort in wasm. Fixed by parse_json_text's depth
// limit (kMaxJsonDepth) at every place the core parses text.

TEST(FuzzRegressions, ChatStreamRefusesAChunkNestedTooDeep) {
  const std::string input = fixture("chat_stream-deep-nesting.bin");
  ChatStreamDecoder decoder;
  StreamBatch batch;
  decoder.feed(input, batch);
  EXPECT_TRUE(batch.chunks.empty());
  EXPECT_EQ(batch.error.kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(batch.error.code, "malformed_chunk");
  EXPECT_TRUE(is_utf8(batch.error.message));
  EXPECT_EQ(parse(dump(decoder.accumulator().completion()))["choices"], json::array());

  ResponseConsumer consumer(/*stream=*/true, "llmbase_test_key_123");
  consumer.on_status(200, "text/event-stream");
  CallUpdate update;
  consumer.on_body(input, update);
  EXPECT_TRUE(update.finished);
  EXPECT_EQ(update.error.kind, ErrorKind::kInvalidResponse);
  parse(dump(update.result));
}

TEST(FuzzRegressions, ResponseConsumerRefusesABodyNestedTooDeep) {
  // The chunk of the fixture as a whole JSON body (a non-streaming reply).
  std::string body = fixture("chat_stream-deep-nesting.bin");
  body = body.substr(body.find('{'));
  ResponseConsumer consumer(/*stream=*/false, "llmbase_test_key_123");
  consumer.on_status(200, "application/json");
  CallUpdate update;
  consumer.on_body(body, update);
  consumer.on_end(update);
  EXPECT_TRUE(update.finished);
  EXPECT_EQ(update.error.kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(update.error.code, "invalid_json");
}

TEST(FuzzRegressions, MetadataNestedTooDeepIsUnusable) {
  const std::string input = fixture("metadata-deep-nesting.bin");
  bool valid = true;
  const ModelCatalog catalog = ModelCatalog::parse_text(input, &valid);
  EXPECT_FALSE(valid);
  EXPECT_TRUE(catalog.models().empty());
  const json result = parse(parse_model_metadata_json(input));
  EXPECT_EQ(result["ok"], false);
  EXPECT_EQ(result["models"], json::array());
}

TEST(FuzzRegressions, ValidatorAndCostRefuseARequestNestedTooDeep) {
  const std::string input = fixture("validator-deep-nesting.bin");
  const json validated = parse(validate_request_json(input, ""));
  EXPECT_EQ(validated["ok"], false);
  ASSERT_EQ(validated["findings"].size(), 1u);
  EXPECT_EQ(validated["findings"][0]["code"], "invalid_json");
  for (const std::string& text : {estimate_cost_json(input, ""), actual_cost_json(input, "")}) {
    const json cost = parse(text);
    EXPECT_EQ(cost["ok"], false);
    EXPECT_EQ(cost["error"]["code"], "invalid_json");
  }
}

// ---- validator-price-overflow.bin ----
// request NUL metadata: a finite but absurd price (1e308 USD per 1M tokens) made the cost
// infinite, which JSON writes as null, the value for "not priced", next to "priced": true.

TEST(FuzzRegressions, CostOfAnAbsurdPriceStaysANumber) {
  const std::string input = fixture("validator-price-overflow.bin");
  const std::size_t nul = input.find('\0');
  ASSERT_NE(nul, std::string::npos);
  const std::string request = input.substr(0, nul), metadata = input.substr(nul + 1);
  const json estimate = parse(estimate_cost_json(request, metadata));
  EXPECT_EQ(estimate["priced"], true);
  ASSERT_TRUE(estimate["max_cost_usd"].is_number());
  EXPECT_EQ(estimate["max_cost_usd"].get<double>(), std::numeric_limits<double>::max());
  const json cost = parse(
      actual_cost_json(R"({"usage":{"prompt_tokens":100,"completion_tokens":5}})", metadata, "m"));
  EXPECT_EQ(cost["priced"], true);
  ASSERT_TRUE(cost["cost_usd"].is_number());
  EXPECT_EQ(cost["cost_usd"].get<double>(), std::numeric_limits<double>::max());
}

// ---- http_policy-retry-after-overflow.bin ----
// A 20-digit Retry-After: its value in ms (1e23) was converted to int64, which is undefined
// behaviour (x86 happens to give INT64_MIN, hence the backoff; UBSan aborts). It is a hint
// beyond any limit, so the backoff applies.

TEST(FuzzRegressions, RetryAfterBeyondInt64FallsBackToTheBackoff) {
  const std::string huge = fixture("http_policy-retry-after-overflow.bin");
  RetryPolicy policy;
  RetryHints seconds{"", huge, 0}, ms{huge, "", 0};
  EXPECT_EQ(retry_delay_ms(1, seconds, policy, 0), policy.initial_backoff_ms);
  EXPECT_EQ(retry_delay_ms(1, ms, policy, 0), policy.initial_backoff_ms);
  policy.max_retry_after_ms = std::numeric_limits<std::int64_t>::max();
  RetryHints at_limit{"9223372036854775807", "", 0};
  EXPECT_EQ(retry_delay_ms(2, at_limit, policy, 0), 2 * policy.initial_backoff_ms);
  RetryHints date{"", "Sun, 06 Nov 1994 08:49:37 GMT", std::numeric_limits<std::int64_t>::min()};
  EXPECT_EQ(retry_delay_ms(1, date, RetryPolicy{}, 0), policy.initial_backoff_ms);
}

// ---- json_schema-top-level-close.bin ----
// A schema NUL "]": the partial-JSON completer closed a container at the top level, where none
// is open, and popped an empty stack (ASan SEGV; in wasm, model output starting with "]").
TEST(FuzzRegressions, PartialJsonTopLevelCloseIsNoValue) {
  const std::string input = fixture("json_schema-top-level-close.bin");
  const std::size_t nul = input.find('\0');
  ASSERT_NE(nul, std::string::npos);
  EXPECT_EQ(complete_partial_json(std::string_view(input).substr(nul + 1)), "");
}

TEST(JsonText, AcceptsNestingUpToTheLimitOnly) {
  EXPECT_FALSE(parse_json_text(nested_arrays(kMaxJsonDepth)).is_discarded());
  EXPECT_TRUE(parse_json_text(nested_arrays(kMaxJsonDepth + 1)).is_discarded());
  const std::string objects = [] {
    std::string s;
    for (std::size_t i = 0; i <= kMaxJsonDepth; ++i) s += "{\"a\":";
    s += "1";
    for (std::size_t i = 0; i <= kMaxJsonDepth; ++i) s += "}";
    return s;
  }();
  EXPECT_TRUE(parse_json_text(objects).is_discarded());
  // A chunk at exactly the limit still streams.
  ChatStreamDecoder decoder;
  StreamBatch batch;
  decoder.feed(
      "data: {\"choices\":[],\"usage\":{\"x\":" + nested_arrays(kMaxJsonDepth - 2) + "}}\n\n",
      batch);
  EXPECT_TRUE(batch.error.ok()) << batch.error.message;
  EXPECT_EQ(batch.chunks.size(), 1u);
}

TEST(JsonText, CountsOnlyBracketsOutsideStrings) {
  const std::string brackets(10 * kMaxJsonDepth, '[');
  EXPECT_EQ(parse_json_text("[\"" + brackets + "\"]"), json::array({brackets}));
  EXPECT_EQ(parse_json_text(R"(["\"[[[", "\\", {"k\"[": "]\\\""}])"),
            parse(R"(["\"[[[", "\\", {"k\"[": "]\\\""}])"));
  EXPECT_TRUE(parse_json_text("{bad").is_discarded());
  EXPECT_TRUE(parse_json_text("").is_discarded());
}

}  // namespace
}  // namespace llmbase
