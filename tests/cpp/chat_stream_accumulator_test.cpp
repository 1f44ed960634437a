// GoogleTest: ChatStreamAccumulator units (content, tool calls, usage, logprobs, error chunks).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"
#include "test_json.h"

namespace llmbase {
namespace {

using nlohmann::json;

using testing::parse;

// A chunk with the usual envelope around `choices` (and any extra top-level members).
json chunk(json choices, json extra = json::object()) {
  json c = {{"id", "chatcmpl-1"},
            {"object", "chat.completion.chunk"},
            {"created", 1741000000},
            {"model", "m"},
            {"choices", std::move(choices)}};
  for (auto& [k, v] : extra.items()) c[k] = v;
  return c;
}

json delta(json d, json finish = nullptr, int index = 0) {
  return json::array({{{"index", index}, {"delta", std::move(d)}, {"finish_reason", finish}}});
}

json tool_delta(json calls) { return delta({{"tool_calls", std::move(calls)}}); }

void add_all(ChatStreamAccumulator& acc, const std::vector<json>& chunks) {
  for (const auto& c : chunks) ASSERT_TRUE(acc.add_chunk(c).ok()) << c.dump();
}

// ---- ChatStreamAccumulator ----

TEST(ChatStreamAccumulator, StartsEmpty) {
  ChatStreamAccumulator acc;
  EXPECT_EQ(acc.completion(), parse(R"({"id":"","object":"chat.completion","created":0,
                                        "model":"","choices":[]})"));
  EXPECT_FALSE(acc.has_finish_reason());
  EXPECT_FALSE(acc.has_usage());
  EXPECT_EQ(acc.chunk_count(), 0u);
}

TEST(ChatStreamAccumulator, ConcatenatesContentAndKeepsEnvelope) {
  ChatStreamAccumulator acc;
  add_all(acc,
          {chunk(delta({{"role", "assistant"}, {"content", ""}}), {{"system_fingerprint", "fp_1"}}),
           chunk(delta({{"content", "Hel"}})), chunk(delta({{"content", nullptr}})),
           chunk(delta({{"content", "lo"}}), {{"id", "other"}, {"model", "other"}})});
  json c = acc.completion();
  EXPECT_EQ(c["id"], "chatcmpl-1");  // the first id/model win
  EXPECT_EQ(c["model"], "m");
  EXPECT_EQ(c["created"], 1741000000);
  EXPECT_EQ(c["system_fingerprint"], "fp_1");
  EXPECT_EQ(c["choices"][0]["message"], parse(R"({"role":"assistant","content":"Hello"})"));
  EXPECT_EQ(c["choices"][0]["finish_reason"], nullptr);
  EXPECT_EQ(acc.chunk_count(), 4u);
}

TEST(ChatStreamAccumulator, ContentIsNullWithoutContentDeltas) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(delta({{"role", "assistant"}}))});
  EXPECT_EQ(acc.completion()["choices"][0]["message"]["content"], nullptr);
}

TEST(ChatStreamAccumulator, RecordsFinishReason) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(delta({{"content", "x"}})), chunk(delta(json::object(), nullptr))});
  EXPECT_FALSE(acc.has_finish_reason());
  add_all(acc, {chunk(delta(json::object(), "length"))});
  EXPECT_TRUE(acc.has_finish_reason());
  EXPECT_EQ(acc.completion()["choices"][0]["finish_reason"], "length");
}

TEST(ChatStreamAccumulator, MergesToolCallsByIndex) {
  ChatStreamAccumulator acc;
  add_all(acc, {
                   chunk(tool_delta(parse(R"([{"index":1,"id":"call_b","type":"function",
                                  "function":{"name":"b","arguments":""}}])"))),
                   chunk(tool_delta(parse(R"([{"index":0,"id":"call_a","type":"function",
                                  "function":{"name":"a","arguments":"{\"x\""}}])"))),
                   chunk(tool_delta(parse(R"([{"index":1,"function":{"arguments":"{}"}},
                                 {"index":0,"function":{"arguments":":1}"}}])"))),
                   chunk(delta(json::object(), "tool_calls")),
               });
  json calls = acc.completion()["choices"][0]["message"]["tool_calls"];
  EXPECT_EQ(calls, parse(R"([
      {"id":"call_a","type":"function","function":{"name":"a","arguments":"{\"x\":1}"}},
      {"id":"call_b","type":"function","function":{"name":"b","arguments":"{}"}}])"));
  EXPECT_EQ(acc.completion()["choices"][0]["finish_reason"], "tool_calls");
}

TEST(ChatStreamAccumulator, KeepsALateToolName) {
  ChatStreamAccumulator acc;
  add_all(
      acc,
      {
          chunk(tool_delta(parse(R"([{"index":0,"id":"call_1","function":{"arguments":""}}])"))),
          chunk(tool_delta(parse(R"([{"index":0,"id":"","function":{"name":"lookup"}}])"))),
          chunk(tool_delta(parse(R"([{"index":0,"function":{"name":null,"arguments":"{}"}}])"))),
          chunk(tool_delta(parse(R"([{"index":0,"id":null,"function":{"name":""}}])"))),
      });
  EXPECT_EQ(acc.completion()["choices"][0]["message"]["tool_calls"],
            parse(R"([{"id":"call_1","type":"function",
                       "function":{"name":"lookup","arguments":"{}"}}])"));
}

TEST(ChatStreamAccumulator, JoinsSplitToolArguments) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(tool_delta(parse(R"([{"index":0,"id":"c","function":{"name":"f"}}])")))});
  for (const char* piece : {"{\"", "city", "\":\"", "Par", "is\"}"}) {
    add_all(
        acc,
        {chunk(tool_delta(json::array({{{"index", 0}, {"function", {{"arguments", piece}}}}})))});
  }
  EXPECT_EQ(acc.completion()["choices"][0]["message"]["tool_calls"][0]["function"]["arguments"],
            "{\"city\":\"Paris\"}");
}

TEST(ChatStreamAccumulator, ToolCallWithoutIndexUsesItsPosition) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(tool_delta(parse(R"([
      {"id":"a","function":{"name":"fa","arguments":"1"}},
      {"id":"b","function":{"name":"fb","arguments":"2"}}])")))});
  json calls = acc.completion()["choices"][0]["message"]["tool_calls"];
  ASSERT_EQ(calls.size(), 2u);
  EXPECT_EQ(calls[1]["id"], "b");
  EXPECT_EQ(calls[1]["function"]["name"], "fb");
}

TEST(ChatStreamAccumulator, TakesUsageFromTheFinishChunk) {
  // LLMBase (llmbase-api.md §5): usage on the last content chunk, choices not empty.
  ChatStreamAccumulator acc;
  const json usage = {{"prompt_tokens", 3}, {"completion_tokens", 1}, {"total_tokens", 4}};
  add_all(acc, {chunk(delta({{"content", "x"}})),
                chunk(delta(json::object(), "stop"), {{"usage", usage}})});
  EXPECT_TRUE(acc.has_usage());
  EXPECT_EQ(acc.completion()["usage"], usage);
}

TEST(ChatStreamAccumulator, TakesUsageFromATrailingEmptyChoicesChunk) {
  // OpenAI include_usage: usage null before, then a `choices: []` chunk.
  ChatStreamAccumulator acc;
  const json usage = {{"prompt_tokens", 3}, {"completion_tokens", 1}, {"total_tokens", 4}};
  add_all(acc, {chunk(delta({{"content", "x"}}), {{"usage", nullptr}}),
                chunk(delta(json::object(), "stop"), {{"usage", nullptr}})});
  EXPECT_FALSE(acc.has_usage());
  EXPECT_FALSE(acc.completion().contains("usage"));
  add_all(acc, {chunk(json::array(), {{"usage", usage}})});
  json c = acc.completion();
  EXPECT_EQ(c["usage"], usage);
  EXPECT_EQ(c["choices"].size(), 1u);
  EXPECT_EQ(c["choices"][0]["finish_reason"], "stop");
}

TEST(ChatStreamAccumulator, AccumulatesReasoningAndItsAlias) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(delta({{"reasoning_content", "a"}})), chunk(delta({{"reasoning", "x"}})),
                chunk(delta({{"reasoning_content", "b"}, {"reasoning", "y"}})),
                chunk(delta({{"refusal", "no"}}))});
  json m = acc.completion()["choices"][0]["message"];
  EXPECT_EQ(m["reasoning_content"], "ab");
  EXPECT_EQ(m["reasoning"], "xy");
  EXPECT_EQ(m["refusal"], "no");
}

TEST(ChatStreamAccumulator, ConcatenatesLogprobs) {
  ChatStreamAccumulator acc;
  auto with_logprobs = [](json logprobs) {
    return chunk(json::array({{{"index", 0},
                               {"delta", {{"content", "t"}}},
                               {"logprobs", std::move(logprobs)},
                               {"finish_reason", nullptr}}}));
  };
  add_all(acc,
          {with_logprobs(parse(R"({"content":[{"token":"a","logprob":-0.5}]})")),
           with_logprobs(nullptr), with_logprobs(parse(R"({"content":[{"token":"b","logprob":-1},
                                                   {"token":"c","logprob":0}],
                                        "refusal":[{"token":"r","logprob":-2}]})"))});
  EXPECT_EQ(acc.completion()["choices"][0]["logprobs"],
            parse(R"({"content":[{"token":"a","logprob":-0.5},{"token":"b","logprob":-1},
                                 {"token":"c","logprob":0}],
                      "refusal":[{"token":"r","logprob":-2}]})"));
}

TEST(ChatStreamAccumulator, RefusesANonObjectChunk) {
  ChatStreamAccumulator acc;
  for (const json& bad : {json::array(), json("text"), json(42), json(nullptr)}) {
    Error e = acc.add_chunk(bad);
    EXPECT_EQ(e.kind, ErrorKind::kInvalidResponse) << bad.dump();
    EXPECT_EQ(e.code, "invalid_chunk");
  }
  EXPECT_EQ(acc.chunk_count(), 0u);
}

TEST(ChatStreamAccumulator, RefusesAnErrorChunkWithoutChangingState) {
  ChatStreamAccumulator acc;
  add_all(acc, {chunk(delta({{"content", "ok"}}))});
  const json before = acc.completion();
  Error e = acc.add_chunk(parse(R"({"error":{"message":"boom","type":"server_error",
                                              "code":"upstream_error","param":"model"},
                                    "choices":[{"index":0,"delta":{"content":"x"}}]})"));
  EXPECT_EQ(e.kind, ErrorKind::kStreamError);
  EXPECT_EQ(e.code, "upstream_error");
  EXPECT_EQ(e.type, "server_error");
  EXPECT_EQ(e.param, "model");
  EXPECT_EQ(e.message, "boom");
  EXPECT_EQ(acc.completion(), before);
  EXPECT_EQ(acc.chunk_count(), 1u);
}

TEST(ChatStreamAccumulator, GivesAnErrorChunkWithoutMessageADefaultMessage) {
  ChatStreamAccumulator acc;
  Error e = acc.add_chunk(parse(R"({"error":{"code":503}})"));
  EXPECT_EQ(e.kind, ErrorKind::kStreamError);
  EXPECT_EQ(e.code, "503");  // integer codes become strings
  EXPECT_FALSE(e.message.empty());
}

TEST(ChatStreamAccumulator, KeepsChoicesApartByIndex) {
  ChatStreamAccumulator acc;
  add_all(acc,
          {chunk(delta({{"content", "B"}}, nullptr, 1)),
           chunk(delta({{"content", "A"}}, "stop", 0)), chunk(delta(json::object(), "stop", 1))});
  json c = acc.completion();
  ASSERT_EQ(c["choices"].size(), 2u);
  EXPECT_EQ(c["choices"][0]["index"], 0);
  EXPECT_EQ(c["choices"][0]["message"]["content"], "A");
  EXPECT_EQ(c["choices"][1]["message"]["content"], "B");
}

}  // namespace
}  // namespace llmbase
