// GoogleTest: ResponseConsumer (status, body pieces, end of body, transport errors) and its key redaction.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/http_policy.h"
#include "core/sse_decoder.h"
#include "test_json.h"

namespace llmbase {
namespace {

using nlohmann::json;

using testing::parse;

const std::string kKey = "llmbase_test_0123456789abcdef";

// ---- ResponseConsumer ----

const std::string kStream =
    "data: {\"id\":\"c1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
    "\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"},\"finish_reason\":null}]}\n\n"
    "data: {\"id\":\"c1\",\"created\":1,\"model\":\"m\",\"choices\":[{\"index\":0,"
    "\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,"
    "\"completion_tokens\":1,\"total_tokens\":2}}\n\n"
    "data: [DONE]\n\n";

struct Call {
  std::vector<std::string> chunks;
  int finished_updates = 0;
  Error error;
  json result;
};

// Runs one response through a consumer: status, body pieces, then the end of the body.
Call consume(bool stream, int status, const std::string& content_type,
             const std::vector<std::string>& pieces, const std::string& key = kKey) {
  ResponseConsumer consumer(stream, key);
  consumer.on_status(status, content_type);
  Call call;
  auto take = [&](CallUpdate& u) {
    call.chunks.insert(call.chunks.end(), u.chunks.begin(), u.chunks.end());
    if (u.finished) {
      ++call.finished_updates;
      call.error = u.error;
      call.result = u.result;
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
  EXPECT_EQ(consumer.status(), status);
  EXPECT_EQ(call.finished_updates, 1);  // finished is reported exactly once
  return call;
}

TEST(ResponseConsumer, StreamsChunksAndTheCompletion) {
  const std::size_t half = kStream.size() / 2;
  Call call =
      consume(true, 200, "text/event-stream", {kStream.substr(0, half), kStream.substr(half)});
  ASSERT_TRUE(call.error.ok()) << call.error.message;
  EXPECT_EQ(call.chunks.size(), 2u);
  EXPECT_EQ(call.result["choices"][0]["message"]["content"], "Hi");
  EXPECT_EQ(call.result["choices"][0]["finish_reason"], "stop");
  EXPECT_EQ(call.result["usage"]["total_tokens"], 2);
}

TEST(ResponseConsumer, FinishesAtDoneWithoutWaitingForTheEnd) {
  ResponseConsumer consumer(true, kKey);
  consumer.on_status(200, "text/event-stream");
  CallUpdate u;
  consumer.on_body(kStream + "data: {\"choices\":[]}\n\n", u);
  EXPECT_TRUE(u.finished);
  EXPECT_TRUE(u.error.ok());
  EXPECT_EQ(u.chunks.size(), 2u);
  CallUpdate later;
  consumer.on_body("data: {\"choices\":[]}\n\n", later);
  consumer.on_end(later);
  EXPECT_FALSE(later.finished);
  EXPECT_TRUE(later.chunks.empty());
}

TEST(ResponseConsumer, ReportsAnIncompleteStreamWithThePartialResult) {
  const std::string first = kStream.substr(0, kStream.find("\n\n") + 2);
  Call call = consume(true, 200, "text/event-stream", {first});
  EXPECT_EQ(call.error.kind, ErrorKind::kIncompleteStream);
  EXPECT_EQ(call.chunks.size(), 1u);
  EXPECT_EQ(call.result["choices"][0]["message"]["content"], "Hi");
}

struct StatusCase {
  int status;
  const char* code;
  ErrorKind kind;
};

TEST(ResponseConsumer, MapsJsonErrorEnvelopes) {
  const StatusCase cases[] = {
      {400, "unsupported_feature", ErrorKind::kBadRequest},
      {401, "invalid_api_key", ErrorKind::kAuthentication},
      {401, "missing_api_key", ErrorKind::kAuthentication},
      {402, "insufficient_balance", ErrorKind::kInsufficientBalance},
      {403, "model_not_available_for_agents", ErrorKind::kPermissionDenied},
      {404, "model_not_found", ErrorKind::kNotFound},
      {429, "too_many_concurrent_requests", ErrorKind::kConcurrencyLimit},
      {429, "rate_limit_exceeded", ErrorKind::kRateLimit},
      {500, "internal_error", ErrorKind::kInternalServer},
      {503, "model_unavailable", ErrorKind::kInternalServer},
  };
  for (const auto& c : cases) {
    const std::string body = json{
        {"error",
         {{"message", std::string("failed: ") + c.code},
          {"type", "invalid_request_error"},
          {"code", c.code},
          {"param", "tools"}}}}.dump();
    for (bool stream : {true, false}) {
      // Split the body so that buffering across reads is exercised too.
      Call call =
          consume(stream, c.status, "application/json", {body.substr(0, 7), body.substr(7)});
      SCOPED_TRACE(std::to_string(c.status) + " " + c.code + (stream ? " stream" : ""));
      EXPECT_EQ(call.error.kind, c.kind);
      EXPECT_EQ(call.error.status, c.status);
      EXPECT_EQ(call.error.code, c.code);
      EXPECT_EQ(call.error.type, "invalid_request_error");
      EXPECT_EQ(call.error.param, "tools");
      EXPECT_EQ(call.error.message, std::string("failed: ") + c.code);
      EXPECT_TRUE(call.chunks.empty());
    }
  }
}

TEST(ResponseConsumer, DescribesANonJsonErrorBody) {
  Call html = consume(true, 502, "text/html", {"<html>Bad Gateway</html>"});
  EXPECT_EQ(html.error.kind, ErrorKind::kInternalServer);
  EXPECT_EQ(html.error.status, 502);
  EXPECT_NE(html.error.message.find("HTTP 502"), std::string::npos);
  EXPECT_NE(html.error.message.find("Bad Gateway"), std::string::npos);
  // An SSE error status is never decoded as a stream.
  EXPECT_TRUE(html.chunks.empty());

  Call empty = consume(false, 500, "", {});
  EXPECT_EQ(empty.error.kind, ErrorKind::kInternalServer);
  EXPECT_NE(empty.error.message.find("empty body"), std::string::npos);
}

TEST(ResponseConsumer, ReturnsANonStreamJsonBody) {
  const json body = parse(R"({"id":"chatcmpl-1","object":"chat.completion","choices":[
      {"index":0,"message":{"role":"assistant","content":"Hi"},"finish_reason":"stop"}]})");
  const std::string text = body.dump();
  Call call = consume(false, 200, "application/json",
                      {text.substr(0, 10), text.substr(10, 10), text.substr(20)});
  ASSERT_TRUE(call.error.ok()) << call.error.message;
  EXPECT_EQ(call.result, body);
  // A stream request answered with plain JSON is accepted as a whole completion.
  Call as_json = consume(true, 200, "application/json; charset=utf-8", {text});
  ASSERT_TRUE(as_json.error.ok());
  EXPECT_EQ(as_json.result, body);
  EXPECT_TRUE(as_json.chunks.empty());
}

TEST(ResponseConsumer, RefusesANonJsonSuccessBody) {
  for (const char* text : {"not json", "[1,2]", ""}) {
    Call call = consume(false, 200, "application/json", {text});
    EXPECT_EQ(call.error.kind, ErrorKind::kInvalidResponse) << text;
    EXPECT_EQ(call.error.code, "invalid_json");
  }
}

TEST(ResponseConsumer, AConnectionLostMidStreamIsAnIncompleteStreamKeepingThePartial) {
  ResponseConsumer consumer(true, kKey);
  consumer.on_status(200, "text/event-stream");
  CallUpdate first;
  consumer.on_body(kStream.substr(0, kStream.find("\n\n") + 2), first);
  EXPECT_EQ(first.chunks.size(), 1u);
  EXPECT_FALSE(first.finished);
  CallUpdate failed;
  consumer.on_transport_error(ErrorKind::kConnection, "reset by peer", failed);
  EXPECT_TRUE(failed.finished);
  EXPECT_EQ(failed.error.kind, ErrorKind::kIncompleteStream);
  EXPECT_EQ(failed.error.code, "incomplete_stream");
  EXPECT_NE(failed.error.message.find("reset by peer"), std::string::npos);
  EXPECT_EQ(failed.error.status, 200);
  EXPECT_EQ(failed.result["choices"][0]["message"]["content"], "Hi");
  CallUpdate after;
  consumer.on_end(after);
  EXPECT_FALSE(after.finished);

  ResponseConsumer before_status(false, kKey);
  CallUpdate timeout;
  before_status.on_transport_error(ErrorKind::kTimeout, "timed out", timeout);
  EXPECT_EQ(timeout.error.kind, ErrorKind::kTimeout);
  EXPECT_EQ(timeout.error.status, 0);
  EXPECT_TRUE(timeout.result.is_null());
}

TEST(ResponseConsumer, NeverLeaksTheApiKey) {
  const std::string echoed = "Incorrect API key provided: " + kKey + ".";
  std::vector<Error> errors;
  errors.push_back(
      consume(false, 401, "application/json",
              {json{{"error", {{"message", echoed}, {"code", "invalid_api_key"}}}}.dump()})
          .error);
  errors.push_back(consume(true, 401, "text/plain", {echoed}).error);
  errors.push_back(consume(true, 200, "text/event-stream",
                           {"data: " + json{{"error", {{"message", echoed}}}}.dump() + "\n\n"})
                       .error);
  errors.push_back(consume(true, 200, "text/event-stream", {"data: {" + echoed + "\n\n"}).error);
  errors.push_back(
      consume(true, 200, "text/event-stream", {"event: error\ndata: " + echoed + "\n\n"}).error);
  ResponseConsumer consumer(true, kKey);
  CallUpdate u;
  consumer.on_transport_error(ErrorKind::kConnection, "connect failed for " + kKey, u);
  errors.push_back(u.error);
  for (const auto& e : errors) {
    EXPECT_FALSE(e.ok());
    EXPECT_EQ(e.message.find(kKey), std::string::npos) << e.message;
    EXPECT_NE(e.message.find("[redacted]"), std::string::npos) << e.message;
  }
}

}  // namespace
}  // namespace llmbase
