// GoogleTest: ChatStreamDecoder units, and the golden stream fixtures.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/chat_stream.h"
#include "test_json.h"

namespace llmbase {
namespace {

using nlohmann::json;

using testing::parse;

// ---- ChatStreamDecoder ----

struct Outcome {
  std::vector<std::string> chunks;
  bool done = false;
  Error error;
  json completion;
};

Outcome run(const std::vector<std::string>& pieces,
            std::size_t max_event_bytes = SseDecoder::kDefaultMaxEventBytes) {
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
  auto o =
      run({small + "data: {\"choices\":[],\"pad\":\"" + std::string(200, 'x') + "\"}\n\n"}, 64);
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
    EXPECT_EQ(o.completion, expected_["completion"]) << "got:\n"
                                                     << o.completion.dump(2) << "\nexpected:\n"
                                                     << expected_["completion"].dump(2);
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
