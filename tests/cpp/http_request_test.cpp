// GoogleTest: build_request (URL, headers, key guard), and key redaction by an ApiCall over the request it built.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/api_call.h"
#include "core/http_policy.h"
#include "core/http_request.h"
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
  for (const char* base :
       {"https://api.llmbase.ai/v1", "https://api.llmbase.ai/v1/", "https://api.llmbase.ai/v1//"}) {
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
  c.default_headers = {{"X-Title", "my app"},
                       {"accept", "application/x-ndjson"},
                       {"x-llmbase-fallback", "on"},
                       {"X-Number", 5}};
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
    const json envelope = {
        {"error",
         {{"message", "bad " + key}, {"code", "bad_" + key}, {"param", key}, {"type", key}}}};
    for (const std::string& body : {envelope.dump(), "data: " + envelope.dump() + "\n\n"}) {
      CallOptions options;
      options.retry.max_retries = 0;
      ApiCall call(req, true, c.api_key, options);
      const bool frame = body.rfind("data:", 0) == 0;
      call.on_response(frame ? 200 : 401, frame ? "text/event-stream" : "application/json", {});
      CallUpdate u;
      call.on_body(body, u);
      if (!u.finished) call.on_end(u);
      ASSERT_TRUE(u.finished);
      for (const std::string* field :
           {&u.error.message, &u.error.code, &u.error.param, &u.error.type}) {
        EXPECT_EQ(field->find(key), std::string::npos) << *field;
      }
    }
  }
}

}  // namespace
}  // namespace llmbase
