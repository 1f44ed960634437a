// GoogleTest: build_request, ResponseConsumer and ApiCall, key redaction in every field.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/client_session.h"
#include "core/http_policy.h"
#include "core/sse_decoder.h"

namespace llmbase {
namespace {

using nlohmann::json;

const std::string kKey = "llmbase_test_0123456789abcdef";
const std::string kChatKey = "llmbase_chat_0123456789abcdef";

json parse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

json chat_params(bool stream = false) {
  return {{"model", "deepseek/deepseek-v4-flash"},
          {"messages", json::array({{{"role", "user"}, {"content", "Hi"}}})},
          {"stream", stream}};
}

ClientConfig config(std::string key = kKey, std::string base = kDefaultBaseUrl) {
  ClientConfig c;
  c.api_key = std::move(key);
  c.base_url = std::move(base);
  return c;
}

// Value of header `name` (exact spelling), or "<absent>"; fails if it appears twice.
std::string header(const HttpRequest& req, const std::string& name) {
  std::string found = "<absent>";
  int count = 0;
  for (const auto& [n, v] : req.headers) {
    if (n == name) {
      found = v;
      ++count;
    }
  }
  EXPECT_LE(count, 1) << name;
  return found;
}

Error build(const ClientConfig& c, Endpoint endpoint, const json& params, HttpRequest* req) {
  return build_request(c, endpoint, params, req);
}

// ---- build_request ----

TEST(BuildRequest, JoinsTheBaseUrlWithAndWithoutTrailingSlash) {
  for (const char* base : {"https://api.llmbase.ai/v1", "https://api.llmbase.ai/v1/",
                           "https://api.llmbase.ai/v1//"}) {
    HttpRequest chat, models;
    ASSERT_TRUE(build(config(kKey, base), Endpoint::kChatCompletions, chat_params(), &chat).ok());
    EXPECT_EQ(chat.method, "POST");
    EXPECT_EQ(chat.url, "https://api.llmbase.ai/v1/chat/completions") << base;
    ASSERT_TRUE(build(config(kKey, base), Endpoint::kModels, json(), &models).ok());
    EXPECT_EQ(models.method, "GET");
    EXPECT_EQ(models.url, "https://api.llmbase.ai/v1/models") << base;
    EXPECT_TRUE(models.body.empty());
  }
  HttpRequest local;
  ASSERT_TRUE(build(config(kKey, "http://127.0.0.1:8787/v1/"), Endpoint::kChatCompletions,
                    chat_params(), &local)
                  .ok());
  EXPECT_EQ(local.url, "http://127.0.0.1:8787/v1/chat/completions");
}

TEST(BuildRequest, SetsChatHeadersAndSendsTheParamsAsGiven) {
  json params = chat_params(true);
  params["chat_template_kwargs"] = {{"enable_thinking", true}};  // unknown fields pass through
  HttpRequest req;
  ASSERT_TRUE(build(config(), Endpoint::kChatCompletions, params, &req).ok());
  EXPECT_EQ(header(req, "Authorization"), "Bearer " + kKey);
  EXPECT_EQ(header(req, "Content-Type"), "application/json");
  EXPECT_EQ(header(req, "Accept"), "text/event-stream");
  EXPECT_EQ(header(req, "X-LLMBase-Fallback"), "<absent>");
  EXPECT_EQ(parse(req.body), params);

  HttpRequest plain;
  ASSERT_TRUE(build(config(), Endpoint::kChatCompletions, chat_params(false), &plain).ok());
  EXPECT_EQ(header(plain, "Accept"), "application/json");
}

TEST(BuildRequest, SendsTheKeyToTheModelsEndpointToo) {
  HttpRequest req;
  ASSERT_TRUE(build(config(), Endpoint::kModels, json(), &req).ok());
  EXPECT_EQ(header(req, "Authorization"), "Bearer " + kKey);
  EXPECT_EQ(header(req, "Accept"), "application/json");
}

TEST(BuildRequest, SendsFallbackOffWhenDisabled) {
  ClientConfig c = config();
  c.fallback = false;
  HttpRequest req;
  ASSERT_TRUE(build(c, Endpoint::kChatCompletions, chat_params(), &req).ok());
  EXPECT_EQ(header(req, "X-LLMBase-Fallback"), "off");
}

TEST(BuildRequest, DefaultHeadersAddAndOverride) {
  ClientConfig c = config();
  c.default_headers = {{"X-Title", "my app"}, {"accept", "application/x-ndjson"},
                       {"x-llmbase-fallback", "on"}, {"X-Number", 5}};
  c.fallback = false;
  HttpRequest req;
  ASSERT_TRUE(build(c, Endpoint::kChatCompletions, chat_params(), &req).ok());
  EXPECT_EQ(header(req, "X-Title"), "my app");
  // Names match case-insensitively: the built-in header's value is replaced, not duplicated.
  EXPECT_EQ(header(req, "Accept"), "application/x-ndjson");
  EXPECT_EQ(header(req, "accept"), "<absent>");
  EXPECT_EQ(header(req, "X-LLMBase-Fallback"), "on");
  EXPECT_EQ(header(req, "X-Number"), "<absent>");  // only string values are headers
  EXPECT_EQ(header(req, "Authorization"), "Bearer " + kKey);
}

TEST(BuildRequest, RefusesAMissingKeyExceptForModels) {
  HttpRequest req;
  Error e = build(config(""), Endpoint::kChatCompletions, chat_params(), &req);
  EXPECT_EQ(e.kind, ErrorKind::kAuthentication);
  EXPECT_EQ(e.code, "missing_api_key");
  EXPECT_EQ(e.param, "apiKey");
  EXPECT_TRUE(req.url.empty());  // nothing built

  ASSERT_TRUE(build(config(""), Endpoint::kModels, json(), &req).ok());
  EXPECT_EQ(req.url, "https://api.llmbase.ai/v1/models");
  EXPECT_EQ(header(req, "Authorization"), "<absent>");
}

TEST(BuildRequest, RefusesAnAgentsKeyOnTheInferenceHost) {
  for (const char* base : {"https://api.llmbase.ai/v1", "https://API.llmbase.ai/v1/",
                           "https://api.llmbase.ai:443/v1"}) {
    for (Endpoint endpoint : {Endpoint::kChatCompletions, Endpoint::kModels}) {
      HttpRequest req;
      Error e = build(config(kChatKey, base), endpoint, chat_params(), &req);
      EXPECT_EQ(e.kind, ErrorKind::kAuthentication) << base;
      EXPECT_EQ(e.code, "wrong_key_type");
      EXPECT_EQ(e.param, "apiKey");
      EXPECT_NE(e.message.find("https://llmbase.ai/api/v1/agents"), std::string::npos);
      EXPECT_EQ(e.message.find(kChatKey), std::string::npos);
      EXPECT_TRUE(req.url.empty());
    }
  }
}

TEST(BuildRequest, AllowsAnAgentsKeyElsewhere) {
  for (const char* base : {"http://127.0.0.1:8787/v1", kAgentsBaseUrl}) {
    HttpRequest req;
    ASSERT_TRUE(build(config(kChatKey, base), Endpoint::kChatCompletions, chat_params(), &req).ok())
        << base;
    EXPECT_EQ(header(req, "Authorization"), "Bearer " + kChatKey);
  }
}

TEST(BuildRequest, RefusesParamsThatAreNotAnObject) {
  for (const json& params : {json::array(), json("x"), json(nullptr)}) {
    HttpRequest req;
    Error e = build(config(), Endpoint::kChatCompletions, params, &req);
    EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument) << params.dump();
    EXPECT_EQ(e.code, "invalid_params");
    EXPECT_FALSE(e.message.empty());
  }
}

TEST(BuildRequest, RefusesABadModel) {
  for (const json& model : {json(""), json(3), json(nullptr)}) {
    json params = chat_params();
    params["model"] = model;
    HttpRequest req;
    Error e = build(config(), Endpoint::kChatCompletions, params, &req);
    EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument) << model.dump();
    EXPECT_EQ(e.param, "model");
  }
  json params = chat_params();
  params.erase("model");
  HttpRequest req;
  EXPECT_EQ(build(config(), Endpoint::kChatCompletions, params, &req).param, "model");
}

TEST(BuildRequest, RefusesBadMessages) {
  for (const json& messages : {json::array(), json::object(), json("Hi")}) {
    json params = chat_params();
    params["messages"] = messages;
    HttpRequest req;
    Error e = build(config(), Endpoint::kChatCompletions, params, &req);
    EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument) << messages.dump();
    EXPECT_EQ(e.param, "messages");
  }
  json params = chat_params();
  params.erase("messages");
  HttpRequest req;
  EXPECT_EQ(build(config(), Endpoint::kChatCompletions, params, &req).param, "messages");
}

TEST(BuildRequest, RefusesABadBaseUrl) {
  for (const char* base : {"", "api.llmbase.ai/v1", "ftp://api.llmbase.ai/v1", "HTTPS:/x"}) {
    for (Endpoint endpoint : {Endpoint::kChatCompletions, Endpoint::kModels}) {
      HttpRequest req;
      Error e = build(config(kKey, base), endpoint, chat_params(), &req);
      EXPECT_EQ(e.kind, ErrorKind::kInvalidArgument) << base;
      EXPECT_EQ(e.code, "invalid_base_url");
      EXPECT_EQ(e.param, "baseURL");
    }
  }
}

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
  Call call = consume(true, 200, "text/event-stream",
                      {kStream.substr(0, half), kStream.substr(half)});
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
    const std::string body = json{{"error",
                                   {{"message", std::string("failed: ") + c.code},
                                    {"type", "invalid_request_error"},
                                    {"code", c.code},
                                    {"param", "tools"}}}}
                                 .dump();
    for (bool stream : {true, false}) {
      // Split the body so that buffering across reads is exercised too.
      Call call = consume(stream, c.status, "application/json",
                          {body.substr(0, 7), body.substr(7)});
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
  errors.push_back(consume(false, 401, "application/json",
                           {json{{"error", {{"message", echoed}, {"code", "invalid_api_key"}}}}
                                .dump()})
                       .error);
  errors.push_back(consume(true, 401, "text/plain", {echoed}).error);
  errors.push_back(consume(true, 200, "text/event-stream",
                           {"data: " + json{{"error", {{"message", echoed}}}}.dump() + "\n\n"})
                       .error);
  errors.push_back(consume(true, 200, "text/event-stream", {"data: {" + echoed + "\n\n"}).error);
  errors.push_back(consume(true, 200, "text/event-stream",
                           {"event: error\ndata: " + echoed + "\n\n"})
                       .error);
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

// A key echoed into code, param or type (not only the message) never reaches the caller, and a
// key given as a header (no apiKey) is redacted like the apiKey.
TEST(ApiCall, RedactsEveryErrorFieldIncludingAHeaderKey) {
  const std::string header_key = "llmbase_header_9876543210fedcba";
  ClientConfig c = config("");
  c.allow_missing_key = true;  // the key travels only as a header
  c.default_headers = {{"Authorization", "Bearer " + header_key}};
  HttpRequest req;
  ASSERT_TRUE(build(c, Endpoint::kChatCompletions, chat_params(true), &req).ok());
  {
    const std::string& key = header_key;
    const json envelope = {{"error",
                            {{"message", "bad " + key},
                             {"code", "bad_" + key},
                             {"param", key},
                             {"type", key}}}};
    for (const std::string& body :
         {envelope.dump(), "data: " + envelope.dump() + "\n\n"}) {
      CallOptions options;
      options.retry.max_retries = 0;
      ApiCall call(req, true, c.api_key, options);
      const bool frame = body.rfind("data:", 0) == 0;
      call.on_response(frame ? 200 : 401, frame ? "text/event-stream" : "application/json", {});
      CallUpdate u;
      call.on_body(body, u);
      if (!u.finished) call.on_end(u);
      ASSERT_TRUE(u.finished);
      for (const std::string* field : {&u.error.message, &u.error.code, &u.error.param,
                                       &u.error.type}) {
        EXPECT_EQ(field->find(key), std::string::npos) << *field;
      }
    }
  }
}

}  // namespace
}  // namespace llmbase
