// GoogleTest: the core's memory limits (issue 8 item 4): oversized SSE lines and events end the
// stream with kEventTooLarge, and stream memory follows the content, not the number of chunks.
#include <gtest/gtest.h>

#include <cstddef>
#include <string>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/chat_stream.h"
#include "core/sse_decoder.h"

namespace llmbase {
namespace {

using nlohmann::json;

constexpr std::size_t kLimit = SseDecoder::kDefaultMaxEventBytes;  // 8 MiB
constexpr std::size_t kMiB = 1u << 20;
constexpr std::size_t kPiece = 64u << 10;  // a typical network read

// Heap bytes in use (glibc; large blocks are mmapped and counted separately). Only differences
// of many KiB are meaningful: freed small blocks may still be cached per thread.
bool heap_measurable() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  return true;
#else
  return false;
#endif
}

std::size_t heap_in_use() {
#if defined(__GLIBC__) && (__GLIBC__ > 2 || __GLIBC_MINOR__ >= 33)
  const struct mallinfo2 info = mallinfo2();
  return info.uordblks + info.hblkhd;
#else
  return 0;
#endif
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// An SSE line of `bytes` bytes in total ("data: xxx…"), without its line end.
std::string data_line(std::size_t bytes) { return "data: " + std::string(bytes - 6, 'x'); }

// ---- SseDecoder ----

TEST(Limits, SseLineAboveTheDefaultLimitFailsOnceItPassesTheLimit) {
  // A line that never ends, read 64 KiB at a time: the feed that takes it past 8 MiB fails, not
  // an earlier one, and nothing after it is buffered.
  SseDecoder decoder;
  const std::string piece(kPiece, 'x');
  std::vector<SseEvent> events;
  ASSERT_TRUE(decoder.feed("data: ", events).ok());
  std::size_t fed = 6, peak = 0;
  const std::size_t before = heap_in_use();
  Error error;
  while (error.ok() && fed < 2 * kLimit) {
    error = decoder.feed(piece, events);
    fed += piece.size();
    if (heap_in_use() > before) peak = std::max(peak, heap_in_use() - before);
  }
  EXPECT_EQ(error.kind, ErrorKind::kEventTooLarge);
  EXPECT_EQ(error.code, "event_too_large");
  EXPECT_GT(fed, kLimit);
  EXPECT_LE(fed, kLimit + kPiece);
  EXPECT_TRUE(events.empty());
  // Later input is ignored without an error of its own, and without buffering.
  EXPECT_TRUE(decoder.feed(piece + "\n\ndata: x\n\n", events).ok());
  EXPECT_TRUE(events.empty());
  if (heap_measurable()) {
    EXPECT_LT(peak, 2 * kLimit + 2 * kMiB);  // the line, with string growth: never more
    EXPECT_LT(heap_in_use() - std::min(heap_in_use(), before), kMiB);  // given back on failure
  }
}

TEST(Limits, SseLineAboveTheLimitInOneFeedIsNotCopied) {
  // A transport may hand over a whole body at once; the decoder copies at most limit + 1 bytes.
  const std::string body = data_line(4 * kLimit) + "\n\n";
  const std::size_t before = heap_in_use();
  SseDecoder decoder;
  std::vector<SseEvent> events;
  EXPECT_EQ(decoder.feed(body, events).kind, ErrorKind::kEventTooLarge);
  EXPECT_TRUE(events.empty());
  if (heap_measurable()) EXPECT_LT(heap_in_use() - std::min(heap_in_use(), before), kMiB);
}

TEST(Limits, SseEventAboveTheLimitFromManyDataLinesFails) {
  // Each line is small; the event they build up is not.
  SseDecoder decoder;
  const std::string lines = [] {
    std::string s;
    for (int i = 0; i < 64; ++i) s += data_line(1024) + "\n";
    return s;
  }();
  std::vector<SseEvent> events;
  Error error;
  std::size_t fed = 0;
  while (error.ok() && fed < 2 * kLimit) {
    error = decoder.feed(lines, events);
    fed += lines.size();
  }
  EXPECT_EQ(error.kind, ErrorKind::kEventTooLarge);
  EXPECT_GT(fed, kLimit);
  EXPECT_TRUE(events.empty());
}

TEST(Limits, SseEventsUpToTheLimitAreDelivered) {
  SseDecoder decoder;
  std::vector<SseEvent> events;
  const std::string body = data_line(kLimit) + "\n\n" + data_line(kLimit) + "\n\n";
  for (std::size_t at = 0; at < body.size(); at += kPiece) {
    ASSERT_TRUE(decoder.feed(body.substr(at, kPiece), events).ok());
  }
  ASSERT_EQ(events.size(), 2u);
  EXPECT_EQ(events[0].data.size(), kLimit - 6);
  EXPECT_EQ(events[1].data.size(), kLimit - 6);
}

// ---- ChatStreamDecoder and ResponseConsumer ----

const std::string kFirstChunk =
    "data: {\"id\":\"c1\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n";

TEST(Limits, ChatStreamDecoderEndsWithEventTooLarge) {
  ChatStreamDecoder decoder;
  StreamBatch first;
  decoder.feed(kFirstChunk + "data: {\"choices\":[],\"pad\":\"", first);
  ASSERT_EQ(first.chunks.size(), 1u);
  ASSERT_TRUE(first.error.ok());
  const std::string piece(kPiece, 'x');
  Error error;
  std::size_t fed = 0;
  while (!decoder.ended() && fed < 2 * kLimit) {
    StreamBatch batch;
    decoder.feed(piece, batch);
    fed += piece.size();
    EXPECT_TRUE(batch.chunks.empty());
    error = batch.error;
  }
  EXPECT_EQ(error.kind, ErrorKind::kEventTooLarge);
  EXPECT_LE(fed, kLimit + kPiece);
  EXPECT_TRUE(decoder.ended());
  EXPECT_FALSE(decoder.done());
  StreamBatch later;
  decoder.feed("\"}\n\ndata: [DONE]\n\n", later);
  decoder.finish(later);
  EXPECT_TRUE(later.chunks.empty() && later.error.ok() && !later.done);
  EXPECT_EQ(decoder.accumulator().completion()["choices"][0]["message"]["content"], "Hi");
}

TEST(Limits, ResponseConsumerEndsWithEventTooLargeAndKeepsThePartialReply) {
  ResponseConsumer consumer(/*stream=*/true, "llmbase_test_key_123");
  consumer.on_status(200, "text/event-stream");
  CallUpdate first;
  consumer.on_body(kFirstChunk + "data: {\"choices\":[],\"pad\":\"", first);
  ASSERT_EQ(first.chunks.size(), 1u);
  ASSERT_FALSE(first.finished);
  const std::string piece(kPiece, 'x');
  CallUpdate failed;
  std::size_t fed = 0;
  while (!consumer.finished() && fed < 2 * kLimit) {
    CallUpdate u;
    consumer.on_body(piece, u);
    fed += piece.size();
    if (u.finished) failed = u;
  }
  ASSERT_TRUE(failed.finished);
  EXPECT_EQ(failed.error.kind, ErrorKind::kEventTooLarge);
  EXPECT_LE(fed, kLimit + kPiece);
  EXPECT_EQ(failed.result["choices"][0]["message"]["content"], "Hi");
  CallUpdate later;
  consumer.on_body(piece, later);
  consumer.on_end(later);
  EXPECT_FALSE(later.finished);
  EXPECT_TRUE(later.chunks.empty());
}

TEST(Limits, ResponseConsumerRefusesABufferedBodyAboveItsLimit) {
  // Non-stream bodies are collected, up to kMaxBufferedBody (64 MiB), then refused.
  ResponseConsumer consumer(/*stream=*/false, "llmbase_test_key_123");
  consumer.on_status(200, "application/json");
  const std::string piece(kMiB, ' ');
  CallUpdate failed;
  std::size_t fed = 0;
  while (!consumer.finished() && fed <= 2 * ResponseConsumer::kMaxBufferedBody) {
    CallUpdate u;
    consumer.on_body(piece, u);
    fed += piece.size();
    if (u.finished) failed = u;
  }
  EXPECT_EQ(failed.error.kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(failed.error.code, "body_too_large");
  EXPECT_GT(fed, ResponseConsumer::kMaxBufferedBody);
  EXPECT_LE(fed, ResponseConsumer::kMaxBufferedBody + kMiB);
}

// ---- Accumulator memory: proportional to content, not to the number of chunks ----

constexpr int kManyChunks = 100000;

// A chunk with the full envelope and a delta that adds nothing (keep-alive style).
std::string empty_chunk_event() {
  return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1741000000,"
         "\"model\":\"m\",\"system_fingerprint\":\"fp\",\"choices\":[{\"index\":0,\"delta\":{},"
         "\"logprobs\":null,\"finish_reason\":null}],\"usage\":{\"prompt_tokens\":1}}\n\n";
}

TEST(Limits, EmptyDeltaChunksDoNotGrowTheCompletion) {
  ChatStreamDecoder decoder;
  const std::string event = empty_chunk_event();
  std::size_t size_after_first = 0, heap_at_1000 = 0;
  for (int i = 0; i < kManyChunks; ++i) {
    StreamBatch batch;  // a fresh batch per read, as the shells do
    decoder.feed(event, batch);
    ASSERT_EQ(batch.chunks.size(), 1u);
    if (i == 0) size_after_first = dump(decoder.accumulator().completion()).size();
    if (i == 1000) heap_at_1000 = heap_in_use();
  }
  EXPECT_EQ(decoder.accumulator().chunk_count(), static_cast<std::size_t>(kManyChunks));
  EXPECT_EQ(dump(decoder.accumulator().completion()).size(), size_after_first);
  if (heap_measurable()) {
    // Any state kept per chunk (a map node, a json element) would cost tens of bytes each.
    const std::size_t now = heap_in_use();
    EXPECT_LT(now - std::min(now, heap_at_1000), static_cast<std::size_t>(kManyChunks));
  }
}

TEST(Limits, ContentChunksGrowTheCompletionByTheirContentOnly) {
  ChatStreamAccumulator acc;
  const json text_chunk = {{"choices", {{{"index", 0}, {"delta", {{"content", "x"}}}}}}};
  const json tool_chunk = {
      {"choices",
       {{{"index", 0},
         {"delta", {{"tool_calls", {{{"index", 0}, {"function", {{"arguments", "y"}}}}}}}}}}}};
  ASSERT_TRUE(acc.add_chunk(text_chunk).ok());
  ASSERT_TRUE(acc.add_chunk(tool_chunk).ok());
  const std::size_t base = dump(acc.completion()).size();
  for (int i = 1; i < kManyChunks; ++i) {
    ASSERT_TRUE(acc.add_chunk(text_chunk).ok());
    ASSERT_TRUE(acc.add_chunk(tool_chunk).ok());
  }
  const json c = acc.completion();
  EXPECT_EQ(dump(c).size(), base + 2 * static_cast<std::size_t>(kManyChunks - 1));
  EXPECT_EQ(c["choices"][0]["message"]["content"].get<std::string>().size(),
            static_cast<std::size_t>(kManyChunks));
  EXPECT_EQ(c["choices"][0]["message"]["tool_calls"].size(), 1u);
  EXPECT_EQ(acc.chunk_count(), 2u * kManyChunks);
}

TEST(Limits, ResponseConsumerKeepsNoStatePerChunk) {
  ResponseConsumer consumer(/*stream=*/true, "llmbase_test_key_123");
  consumer.on_status(200, "text/event-stream");
  const std::string event = empty_chunk_event();
  std::size_t heap_at_1000 = 0;
  for (int i = 0; i < kManyChunks; ++i) {
    CallUpdate u;
    consumer.on_body(event, u);
    ASSERT_EQ(u.chunks.size(), 1u);
    if (i == 1000) heap_at_1000 = heap_in_use();
  }
  if (heap_measurable()) {
    const std::size_t now = heap_in_use();
    EXPECT_LT(now - std::min(now, heap_at_1000), static_cast<std::size_t>(kManyChunks));
  }
  CallUpdate end;
  consumer.on_body("data: [DONE]\n\n", end);
  ASSERT_TRUE(end.finished);
  EXPECT_TRUE(end.error.ok());
  EXPECT_EQ(end.result["choices"][0]["message"]["content"], nullptr);
}

}  // namespace
}  // namespace llmbase
