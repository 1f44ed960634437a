// GoogleTest: the cap on a streamed reply's accumulated text and the keep-no-content mode (ReplyLimits).
#include <gtest/gtest.h>

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/chat_stream.h"

namespace llmbase {
namespace {

using nlohmann::json;

// One SSE event whose delta carries `field` = `text` (a delta field of the fast path).
std::string delta_event(const std::string& field, const std::string& text) {
  return "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"created\":1,\"model\":\"m\","
         "\"choices\":[{\"index\":0,\"delta\":{\"" +
         field + "\":\"" + text + "\"},\"finish_reason\":null}]}\n\n";
}

std::string tool_event(const std::string& arguments) {
  return "data: {\"choices\":[{\"index\":0,\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"t\","
         "\"function\":{\"name\":\"f\",\"arguments\":\"" +
         arguments + "\"}}]}}]}\n\n";
}

const json& message_of(const json& completion) { return completion["choices"][0]["message"]; }

// Feeds `event` until the consumer finishes (or `max_reads`); returns the finishing update.
CallUpdate feed_until_finished(ResponseConsumer& consumer, const std::string& event, int max_reads,
                               int* reads) {
  *reads = 0;
  while (!consumer.finished() && *reads < max_reads) {
    CallUpdate u;
    consumer.on_body(event, u);
    ++*reads;
    if (u.finished) return u;
  }
  return CallUpdate{};
}

TEST(ReplyLimits, ContentPastTheCapEndsTheStreamWithThePartialReply) {
  const std::string piece(1024, 'a');
  ResponseConsumer consumer(/*stream=*/true, "llmbase_test_key_123", false, {},
                            ReplyLimits{10 * 1024, true});
  consumer.on_status(200, "text/event-stream");
  int reads = 0;
  const CallUpdate failed =
      feed_until_finished(consumer, delta_event("content", piece), 100, &reads);
  ASSERT_TRUE(failed.finished);
  EXPECT_EQ(failed.error.kind, ErrorKind::kReplyTooLarge);
  EXPECT_EQ(failed.error.code, "reply_too_large");
  EXPECT_NE(failed.error.message.find("10240 bytes"), std::string::npos) << failed.error.message;
  // The chunk that passed the cap is folded, then the stream stops: 11 KiB, nothing later.
  EXPECT_EQ(reads, 11);
  EXPECT_EQ(message_of(failed.result)["content"].get<std::string>().size(), 11u * 1024);
  CallUpdate later;
  consumer.on_body(delta_event("content", piece), later);
  consumer.on_end(later);
  EXPECT_FALSE(later.finished);
  EXPECT_TRUE(later.chunks.empty());
}

TEST(ReplyLimits, ReasoningAndToolArgumentsCountTowardsTheCap) {
  for (const std::string& event : {delta_event("reasoning_content", std::string(100, 'r')),
                                   tool_event(std::string(100, 't'))}) {
    ResponseConsumer consumer(true, "llmbase_test_key_123", false, {}, ReplyLimits{1000, true});
    consumer.on_status(200, "text/event-stream");
    int reads = 0;
    const CallUpdate failed = feed_until_finished(consumer, event, 100, &reads);
    EXPECT_EQ(failed.error.kind, ErrorKind::kReplyTooLarge) << event;
    EXPECT_EQ(reads, 11) << event;
  }
}

TEST(ReplyLimits, TheGeneralPathCountsAsTheFastPathDoes) {
  ChatStreamAccumulator acc;
  acc.set_max_reply_bytes(6);
  const json content = {{"choices", {{{"index", 0}, {"delta", {{"content", "abc"}}}}}}};
  const json arguments = {
      {"choices",
       {{{"index", 0},
         {"delta", {{"tool_calls", {{{"index", 0}, {"function", {{"arguments", "xyzw"}}}}}}}}}}}};
  ASSERT_TRUE(acc.add_chunk(content).ok());
  EXPECT_EQ(acc.reply_bytes(), 3u);
  const Error e = acc.add_chunk(arguments);
  EXPECT_EQ(e.kind, ErrorKind::kReplyTooLarge);
  EXPECT_EQ(acc.reply_bytes(), 7u);
  // The same texts through the one-pass fold count the same bytes.
  ChatStreamAccumulator fast;
  ASSERT_TRUE(fast.add_chunk_text(content.dump()).ok());
  ASSERT_TRUE(fast.add_chunk_text(arguments.dump()).ok());
  EXPECT_EQ(fast.reply_bytes(), 7u);
}

TEST(ReplyLimits, EscapedTextCountsItsDecodedBytes) {
  ChatStreamAccumulator acc;
  ASSERT_TRUE(
      acc.add_chunk_text(R"({"choices":[{"index":0,"delta":{"content":"\u00e9\n"}}]})").ok());
  EXPECT_EQ(acc.reply_bytes(), 3u);  // é is two bytes of UTF-8, \n one
}

TEST(ReplyLimits, ZeroMeansNoCap) {
  ResponseConsumer consumer(true, "llmbase_test_key_123", false, {}, ReplyLimits{0, true});
  consumer.on_status(200, "text/event-stream");
  int reads = 0;
  const std::string event = delta_event("content", std::string(64 * 1024, 'z'));
  feed_until_finished(consumer, event, 200, &reads);  // 12.5 MiB of content
  EXPECT_FALSE(consumer.finished());
  CallUpdate end;
  consumer.on_body("data: [DONE]\n\n", end);
  ASSERT_TRUE(end.finished && end.error.ok());
  EXPECT_EQ(message_of(end.result)["content"].get<std::string>().size(), 200u * 64 * 1024);
}

TEST(ReplyLimits, WithoutKeptContentEachReadHandsOutOnlyItsOwnContent) {
  // A terminal that prints the reply: content is dropped once handed out, so neither memory nor
  // the cap grows with it, while reasoning (not printed) is still kept and counted.
  ApiCall call(HttpRequest{}, /*stream=*/true, "llmbase_test_key_123",
               CallOptions{RetryPolicy{}, 0, false, ReplyLimits{4096, false}});
  call.on_response(200, "text/event-stream", RetryHints{});
  std::string printed;
  for (int i = 0; i < 1000; ++i) {
    CallUpdate u;
    call.on_body(
        delta_event("content", "piece" + std::to_string(i) + " ") + delta_event("content", "more "),
        u);
    ASSERT_FALSE(u.finished) << u.error.message;
    EXPECT_EQ(call.stream_content(), "piece" + std::to_string(i) + " more ");
    printed += std::string(call.stream_content());
  }
  EXPECT_GT(printed.size(), 4096u * 2);  // far past the cap, which counts kept text only
  CallUpdate reasoning;
  call.on_body(delta_event("reasoning_content", "why"), reasoning);
  CallUpdate end;
  call.on_body("data: [DONE]\n\n", end);
  ASSERT_TRUE(end.finished && end.error.ok()) << end.error.message;
  const json& message = message_of(end.result);
  EXPECT_TRUE(message["content"].is_null());  // what was printed is not the kept reply
  EXPECT_EQ(message["reasoning_content"], "why");
}

}  // namespace
}  // namespace llmbase
