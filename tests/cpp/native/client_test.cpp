// GoogleTest: the native llmbase::Client over libcurl against the local server on 127.0.0.1.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "llmbase/client.h"
#include "local_server.h"

using nlohmann::json;

namespace llmbase {
namespace {

class NativeClient : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::LocalServer("--chunk-delay-ms 2"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ok()) << "the local server did not start (build dist/ first)";
  }

  static ClientOptions options() {
    ClientOptions o;
    o.api_key = "llmbase_native_test_key";
    o.base_url = server_->url();
    return o;
  }
  static json ask(const std::string& text, const std::string& model = "qwen/qwen3.5-9b") {
    return {{"model", model}, {"messages", json::array({{{"role", "user"}, {"content", text}}})}};
  }
  static RequestOptions with_fault(const std::string& fault) {
    RequestOptions r;
    r.headers["x-llmbase-test-fault"] = fault;
    r.headers["x-llmbase-test-attempt-key"] =
        fault + std::to_string(std::chrono::steady_clock::now().time_since_epoch().count());
    return r;
  }
  static testing::LocalServer* server_;
};

testing::LocalServer* NativeClient::server_ = nullptr;

std::string content_of(const json& completion) {
  return completion["choices"][0]["message"]["content"].get<std::string>();
}

TEST_F(NativeClient, ChatCompletionReturnsTheCompletion) {
  Client client(options());
  auto result = client.chat_completion(ask("hello"));
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_EQ(result.status, 200);
  EXPECT_EQ(result.value["object"], "chat.completion");
  EXPECT_FALSE(content_of(result.value).empty());
  EXPECT_FALSE(result.headers["x-request-id"].empty());
  EXPECT_EQ(result.headers["x-llmbase-served-model"], "qwen/qwen3.5-9b");
}

TEST_F(NativeClient, StreamsChunksThatAddUpToTheSameCompletion) {
  Client client(options());
  std::string streamed;
  int chunks = 0;
  auto result = client.stream_chat_completion(ask("hello"), [&](const json& chunk) {
    ++chunks;
    const auto& delta = chunk["choices"][0]["delta"];
    if (delta.contains("content") && delta["content"].is_string())
      streamed += delta["content"].get<std::string>();
    return true;
  });
  ASSERT_TRUE(result.ok()) << result.error.message;
  EXPECT_GT(chunks, 3);
  EXPECT_EQ(content_of(result.value), streamed);
  EXPECT_EQ(result.value["choices"][0]["finish_reason"], "stop");
  EXPECT_GT(result.value["usage"]["completion_tokens"].get<int>(), 0);
  EXPECT_EQ(content_of(client.chat_completion(ask("hello")).value), streamed);
}

TEST_F(NativeClient, AStallLongerThanTheIdleTimeoutFailsWithThePartialReply) {
  Client client(options());
  RequestOptions r = with_fault("stall:3000");
  r.idle_timeout = std::chrono::milliseconds(300);
  auto result = client.stream_chat_completion(
      ask("hello"), [](const json&) { return true; }, r);
  EXPECT_EQ(result.error.kind, ErrorKind::kIdleTimeout);
  EXPECT_FALSE(content_of(result.value).empty());
}

TEST_F(NativeClient, ADropMidStreamIsAnIncompleteStreamWithThePartialReply) {
  Client client(options());
  int chunks = 0;
  auto result = client.stream_chat_completion(
      ask("hello"), [&](const json&) { return ++chunks, true; }, with_fault("drop-after:3"));
  EXPECT_EQ(result.error.kind, ErrorKind::kIncompleteStream) << result.error.message;
  EXPECT_GE(chunks, 2);
  EXPECT_FALSE(content_of(result.value).empty());
}

TEST_F(NativeClient, A429IsRetriedAfterItsRetryAfterAndThenSucceeds) {
  Client client(options());
  const auto started = std::chrono::steady_clock::now();
  auto result = client.chat_completion(ask("hello"), with_fault("fail-first:1:429:0.4"));
  const auto waited = std::chrono::steady_clock::now() - started;
  ASSERT_TRUE(result.ok()) << result.error.message;
  // The retry waited at least the server's hint (a lower bound: never a speed threshold).
  EXPECT_GE(waited, std::chrono::milliseconds(390));
}

TEST_F(NativeClient, GivesUpAfterMaxRetriesWithTheLastError) {
  Client client(options());
  RequestOptions r = with_fault("fail-first:9:503");
  r.max_retries = 1;
  auto result = client.chat_completion(ask("hello"), r);
  EXPECT_EQ(result.error.kind, ErrorKind::kInternalServer);
  EXPECT_EQ(result.error.status, 503);
}

TEST_F(NativeClient, TheCallbackCanStopTheStream) {
  Client client(options());
  int chunks = 0;
  auto result = client.stream_chat_completion(
      ask("hello"), [&](const json&) { return ++chunks < 3; }, with_fault("stall:2000"));
  EXPECT_EQ(result.error.kind, ErrorKind::kUserAbort);
  EXPECT_EQ(chunks, 3);
}

TEST_F(NativeClient, CancellationFromAnotherThreadEndsTheCall) {
  Client client(options());
  std::atomic<bool> cancel{false};
  RequestOptions r = with_fault("stall:5000");
  r.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    cancel = true;
  });
  auto result = client.stream_chat_completion(
      ask("hello"), [](const json&) { return true; }, r);
  canceller.join();
  EXPECT_EQ(result.error.kind, ErrorKind::kUserAbort);
}

TEST_F(NativeClient, ErrorsCarryKindStatusAndCodeWithoutTheKey) {
  ClientOptions o = options();
  o.api_key = "llmbase_chat_secret_1234567890";
  Client client(o);
  auto result = client.chat_completion(ask("hello"));
  EXPECT_EQ(result.error.kind, ErrorKind::kAuthentication);
  EXPECT_EQ(result.error.status, 401);
  EXPECT_EQ(result.error.message.find(o.api_key), std::string::npos);

  Client ok(options());
  auto missing = ok.chat_completion(ask("hello", "nobody/none"));
  EXPECT_EQ(missing.error.kind, ErrorKind::kNotFound);
  EXPECT_EQ(missing.error.code, "model_not_found");
}

TEST_F(NativeClient, RefusesARequestTheModelCannotServeBeforeSending) {
  Client client(options());
  json request = ask("hello");
  request["tools"] = json::array({{{"type", "function"}, {"function", {{"name", "f"}}}}});
  auto result = client.chat_completion(request);
  EXPECT_EQ(result.error.kind, ErrorKind::kValidation);
  EXPECT_EQ(result.error.param, "tools");
  EXPECT_FALSE(result.value["ok"].get<bool>());
}

TEST_F(NativeClient, AZeroMetadataTtlStillChecksAgainstTheFetchedMetadata) {
  ClientOptions o = options();
  o.metadata_ttl = std::chrono::milliseconds(0);  // fetch every time
  Client client(o);
  json request = ask("hello");
  request["tools"] = json::array({{{"type", "function"}, {"function", {{"name", "f"}}}}});
  auto checked = client.validate(request);
  ASSERT_TRUE(checked.ok()) << checked.error.message;
  EXPECT_FALSE(checked.value["ok"].get<bool>());
  EXPECT_EQ(checked.value["findings"][0]["code"], "unsupported_feature");
  auto refused = client.chat_completion(request);
  EXPECT_EQ(refused.error.kind, ErrorKind::kValidation);
  EXPECT_EQ(refused.error.code, "unsupported_feature");
}

TEST_F(NativeClient, ModelsMetadataAndBalance) {
  Client client(options());
  auto models = client.list_models();
  ASSERT_TRUE(models.ok());
  EXPECT_EQ(models.value["object"], "list");
  auto metadata = client.model_metadata();
  ASSERT_TRUE(metadata.ok()) << metadata.error.message;
  EXPECT_GE(metadata.value["data"].size(), 6u);
  auto balance = client.balance();
  ASSERT_TRUE(balance.ok());
  EXPECT_EQ(balance.value["currency"], "USD");
}

TEST_F(NativeClient, NeverHasMoreThanMaxConcurrencyCallsInFlight) {
  // A server that answers 429 to a third concurrent request: with retries off, any excess fails.
  testing::LocalServer strict("--chunk-delay-ms 2 --max-concurrent 2");
  ASSERT_TRUE(strict.ok());
  ClientOptions o = options();
  o.base_url = strict.url();
  o.max_concurrency = 2;
  o.max_retries = 0;
  Client client(o);
  std::vector<std::thread> threads;
  std::atomic<int> ok{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (client.chat_completion(ask("hello"), with_fault("stall:200")).ok()) ++ok;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 6);
}

}  // namespace
}  // namespace llmbase
