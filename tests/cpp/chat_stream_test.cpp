// GoogleTest: ChatStreamAccumulator / ChatStreamDecoder units, and the golden stream fixtures.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "test_json.h"
#include "core/chat_stream.h"
#include "core/client_session.h"

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
  add_all(acc, {chunk(delta({{"role", "assistant"}, {"content", ""}}),
                      {{"system_fingerprint", "fp_1"}}),
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
  add_all(acc, {
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
    add_all(acc, {chunk(tool_delta(json::array({{{"index", 0},
                                                 {"function", {{"arguments", piece}}}}})))});
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
    return chunk(json::array({{{"index", 0}, {"delta", {{"content", "t"}}},
                               {"logprobs", std::move(logprobs)}, {"finish_reason", nullptr}}}));
  };
  add_all(acc, {with_logprobs(parse(R"({"content":[{"token":"a","logprob":-0.5}]})")),
                with_logprobs(nullptr),
                with_logprobs(parse(R"({"content":[{"token":"b","logprob":-1},
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
  add_all(acc, {chunk(delta({{"content", "B"}}, nullptr, 1)),
                chunk(delta({{"content", "A"}}, "stop", 0)),
                chunk(delta(json::object(), "stop", 1))});
  json c = acc.completion();
  ASSERT_EQ(c["choices"].size(), 2u);
  EXPECT_EQ(c["choices"][0]["index"], 0);
  EXPECT_EQ(c["choices"][0]["message"]["content"], "A");
  EXPECT_EQ(c["choices"][1]["message"]["content"], "B");
}

// ---- ChatStreamDecoder ----

struct Outcome {
  std::vector<std::string> chunks;
  bool done = false;
  Error error;
  json completion;
};

Outcome run(const std::vector<std::string>& pieces, std::size_t max_event_bytes =
                                                         SseDecoder::kDefaultMaxEventBytes) {
  ChatStreamDecoder decoder(max_event_bytes);
  Outcome o;
  for (const auto& piece : pieces) {
    StreamBatch batch;  // a fresh batch per network read, as the shells do
    decoder.feed(piece, batch);
    o.chunks.insert(o.chunks.end(), batch.chunks.begin(), batch.chunks.end());
    o.done = o.done || batch.done;
    if (!batch.error.ok()) o.error = batch.error;
  }
  StreamBatch last;
  decoder.finish(last);
  o.done = o.done || last.done;
  if (!last.error.ok()) o.error = last.error;
  EXPECT_EQ(decoder.accumulator().chunk_count(), o.chunks.size());
  o.completion = decoder.accumulator().completion();
  return o;
}

TEST(ChatStreamDecoder, EndsAtDone) {
  auto o = run({"data: {\"choices\":[]}\n\ndata: [DONE]\n\ndata: {\"choices\":[]}\n\n"});
  EXPECT_TRUE(o.done);
  EXPECT_TRUE(o.error.ok());
  EXPECT_EQ(o.chunks, (std::vector<std::string>{"{\"choices\":[]}"}));
}

TEST(ChatStreamDecoder, FailsAStreamEndingWithoutDoneOrFinishReason) {
  auto o = run({"data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}]}\n\n"});
  EXPECT_FALSE(o.done);
  EXPECT_EQ(o.error.kind, ErrorKind::kIncompleteStream);
  EXPECT_EQ(o.completion["choices"][0]["message"]["content"], "x");
  auto empty = run({});
  EXPECT_EQ(empty.error.kind, ErrorKind::kIncompleteStream);
}

TEST(ChatStreamDecoder, TreatsAnErrorEventWithPlainTextAsStreamError) {
  auto o = run({"event: error\ndata: upstream went away\n\n"});
  EXPECT_EQ(o.error.kind, ErrorKind::kStreamError);
  EXPECT_EQ(o.error.message, "upstream went away");
  EXPECT_FALSE(o.done);
}

TEST(ChatStreamDecoder, RefusesANonObjectChunk) {
  auto o = run({"data: [1,2]\n\n"});
  EXPECT_EQ(o.error.kind, ErrorKind::kInvalidResponse);
  EXPECT_EQ(o.error.code, "invalid_chunk");
}

TEST(ChatStreamDecoder, KeepsTheMalformedChunkMessageValidUtf8) {
  // The excerpt of the bad payload is cut at a byte count; a cut inside "é" must not leak
  // half a character into the message (JSON dumps and JS strings need valid UTF-8).
  for (std::size_t pad = 100; pad < 124; ++pad) {
    auto o = run({"data: {" + std::string(pad, 'a') + "\xC3\xA9\xC3\xA9\xC3\xA9\n\n"});
    ASSERT_EQ(o.error.code, "malformed_chunk");
    EXPECT_EQ(sanitize_utf8(o.error.message), o.error.message) << "pad " << pad;
  }
}

TEST(ChatStreamDecoder, IgnoresEmptyDataPings) {
  auto o = run({"data:\n\ndata: {\"choices\":[{\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
                "data: \n\ndata: [DONE]\n\n"});
  EXPECT_TRUE(o.error.ok()) << o.error.message;
  EXPECT_TRUE(o.done);
  EXPECT_EQ(o.chunks.size(), 1u);
}

TEST(ChatStreamDecoder, DeliversChunksBeforeAnOversizedEvent) {
  const std::string small = "data: {\"choices\":[]}\n\n";
  auto o = run({small + "data: {\"choices\":[],\"pad\":\"" + std::string(200, 'x') + "\"}\n\n"},
               64);
  EXPECT_EQ(o.chunks.size(), 1u);
  EXPECT_EQ(o.error.kind, ErrorKind::kEventTooLarge);
  EXPECT_FALSE(o.done);
}

// ---- Golden fixtures (tests/fixtures/README.md) ----

namespace fs = std::filesystem;

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

std::vector<std::string> fixture_names() {
  std::vector<std::string> names;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(fs::path(LLMBASE_FIXTURES_DIR) / "streams", ec)) {
    if (entry.path().extension() == ".sse") names.push_back(entry.path().stem().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> split_whole(const std::string& s) { return {s}; }

std::vector<std::string> split_bytes(const std::string& s) {
  std::vector<std::string> out;
  for (char c : s) out.emplace_back(1, c);
  return out;
}

// Pieces of 1..max_piece bytes; empty pieces too, since a transport may deliver them.
std::vector<std::string> split_random(const std::string& s, unsigned seed, std::size_t max_piece) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<std::size_t> len(0, max_piece);
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = std::min(len(rng), s.size() - i);
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}

class StreamFixture : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    const fs::path dir = fs::path(LLMBASE_FIXTURES_DIR) / "streams";
    sse_ = read_file(dir / (GetParam() + ".sse"));
    expected_ = parse(read_file(dir / (GetParam() + ".expected.json")));
    ASSERT_FALSE(sse_.empty());
    ASSERT_TRUE(expected_.is_object());
  }

  void check(const Outcome& o, const std::string& how) {
    SCOPED_TRACE(GetParam() + " fed " + how);
    EXPECT_EQ(o.chunks.size(), expected_["chunk_count"].get<std::size_t>());
    EXPECT_EQ(o.done, expected_["done"].get<bool>());
    const json& err = expected_["error"];
    if (err.is_null()) {
      EXPECT_TRUE(o.error.ok()) << error_kind_name(o.error.kind) << ": " << o.error.message;
    } else {
      EXPECT_EQ(error_kind_name(o.error.kind), err["kind"].get<std::string>());
      EXPECT_EQ(o.error.code, err["code"].get<std::string>());
      EXPECT_FALSE(o.error.message.empty());
    }
    EXPECT_EQ(o.completion, expected_["completion"])
        << "got:\n" << o.completion.dump(2) << "\nexpected:\n" << expected_["completion"].dump(2);
    for (const auto& c : o.chunks) EXPECT_TRUE(parse(c).is_object()) << c;
  }

  std::string sse_;
  json expected_;
};

TEST_P(StreamFixture, MatchesExpectedForEverySplit) {
  const Outcome whole = run(split_whole(sse_));
  check(whole, "whole");
  check(run(split_bytes(sse_)), "byte by byte");
  for (unsigned seed : {1u, 7u, 42u, 2024u, 31337u}) {
    for (std::size_t max_piece : {8u, 64u, 700u}) {
      const Outcome o = run(split_random(sse_, seed, max_piece));
      check(o, "randomly, seed " + std::to_string(seed) + " max " + std::to_string(max_piece));
      EXPECT_EQ(o.chunks, whole.chunks);  // the very same chunk texts, in the same order
    }
  }
}

TEST_P(StreamFixture, MatchesExpectedThroughResponseConsumer) {
  for (const auto& pieces : {split_whole(sse_), split_bytes(sse_)}) {
    ResponseConsumer consumer(/*stream=*/true, "llmbase_fixture_key_0123456789");
    consumer.on_status(200, "text/event-stream; charset=utf-8");
    Outcome o;
    auto take = [&](CallUpdate& u) {
      o.chunks.insert(o.chunks.end(), u.chunks.begin(), u.chunks.end());
      if (u.finished) {
        o.error = u.error;
        o.completion = u.result;
      }
    };
    for (const auto& piece : pieces) {
      CallUpdate u;
      consumer.on_body(piece, u);
      take(u);
    }
    CallUpdate end;
    consumer.on_end(end);
    take(end);
    EXPECT_TRUE(consumer.finished());
    o.done = o.error.ok();
    check(o, pieces.size() == 1 ? "whole to ResponseConsumer" : "bytewise to ResponseConsumer");
  }
}

INSTANTIATE_TEST_SUITE_P(Golden, StreamFixture, ::testing::ValuesIn(fixture_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

TEST(StreamFixtures, EveryCaseHasItsExpectedFile) {
  const auto names = fixture_names();
  EXPECT_GE(names.size(), 16u) << "fixtures not found in " LLMBASE_FIXTURES_DIR;
  for (const auto& name : names) {
    const fs::path expected =
        fs::path(LLMBASE_FIXTURES_DIR) / "streams" / (name + ".expected.json");
    EXPECT_TRUE(fs::exists(expected)) << expected;
  }
}

}  // namespace
}  // namespace llmbase
