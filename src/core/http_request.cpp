// Request building for one API call: URL, headers and body, and the key guard that refuses before any I/O.
#include "http_request.h"

#include <algorithm>
#include <cctype>

using nlohmann::json;

namespace llmbase {
namespace {

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && s.substr(0, prefix.size()) == prefix;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// Host part of an http(s) URL, lower-cased, without port or credentials.
std::string host_of(std::string_view url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string_view::npos) return {};
  std::string_view rest = url.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  const auto at = rest.rfind('@');
  if (at != std::string_view::npos) rest = rest.substr(at + 1);
  rest = rest.substr(0, rest.find(':'));
  std::string host(rest);
  for (auto& ch : host) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return host;
}

void set_header(std::vector<std::pair<std::string, std::string>>& headers, const std::string& name,
                const std::string& value) {
  for (auto& [n, v] : headers) {
    if (iequals(n, name)) {
      v = value;
      return;
    }
  }
  headers.emplace_back(name, value);
}

Error invalid(std::string code, std::string message, std::string param = {}) {
  return make_error(ErrorKind::kInvalidArgument, std::move(code), std::move(message),
                    std::move(param));
}

Error check_chat_params(const json& params) {
  if (!params.is_object()) {
    return invalid("invalid_params",
                   "The request body must be an object such as "
                   "{ model, messages }.");
  }
  auto model = params.find("model");
  if (model == params.end() || !model->is_string() ||
      model->get_ref<const std::string&>().empty()) {
    return invalid("missing_model",
                   "`model` must be a non-empty string such as \"deepseek/deepseek-v4-flash\"; "
                   "list the choices with client.models.list().",
                   "model");
  }
  auto messages = params.find("messages");
  if (messages == params.end() || !messages->is_array() || messages->empty()) {
    return invalid("missing_messages",
                   "`messages` must be a non-empty array, e.g. [{ role: \"user\", content: "
                   "\"Hello\" }].",
                   "messages");
  }
  return {};
}

}  // namespace

namespace {
constexpr std::pair<std::string_view, Endpoint> kEndpointNames[] = {
    {"chat", Endpoint::kChatCompletions},
    {"models", Endpoint::kModels},
    {"model-metadata", Endpoint::kModelMetadata},
    {"models-metadata", Endpoint::kModelsWithMetadata},
    {"balance", Endpoint::kBalance},
};
}  // namespace

std::string_view endpoint_name(Endpoint endpoint) {
  for (const auto& [n, e] : kEndpointNames) {
    if (e == endpoint) return n;
  }
  return {};
}

bool endpoint_from_name(std::string_view name, Endpoint* out) {
  for (const auto& [n, e] : kEndpointNames) {
    if (n == name) {
      *out = e;
      return true;
    }
  }
  return false;
}

Error build_request(const ClientConfig& config, Endpoint endpoint, const json& params,
                    HttpRequest* out) {
  const std::string& base = config.base_url;
  if (!starts_with(base, "http://") && !starts_with(base, "https://")) {
    return invalid(
        "invalid_base_url",
        "`baseURL` must start with http:// or https://, e.g. " + std::string(kDefaultBaseUrl) + ".",
        "baseURL");
  }
  // An agents key must never reach the inference host (llmbase-api.md §2, Decisions §9).
  if (starts_with(config.api_key, "llmbase_chat_") && host_of(base) == "api.llmbase.ai") {
    return make_error(ErrorKind::kAuthentication, "wrong_key_type",
                      "This is an llmbase_chat_ (agents) key; it works only with " +
                          std::string(kAgentsBaseUrl) +
                          ". Use an llmbase_ inference key for https://api.llmbase.ai/v1.",
                      "apiKey");
  }
  const bool needs_key = endpoint != Endpoint::kModels && !config.allow_missing_key;
  if (needs_key && config.api_key.empty()) {
    return make_error(ErrorKind::kAuthentication, "missing_api_key",
                      "No API key: set LLMBASE_API_KEY or pass { apiKey } (or { allowMissingKey: "
                      "true } when the base URL is a proxy that adds the key).",
                      "apiKey");
  }

  HttpRequest req;
  std::string trimmed = base;
  while (!trimmed.empty() && trimmed.back() == '/') trimmed.pop_back();
  if (endpoint == Endpoint::kChatCompletions) {
    if (Error e = check_chat_params(params); !e.ok()) return e;
    req.method = "POST";
    req.url = trimmed + "/chat/completions";
    json body = params;
    // `extra_body` is a client-side option in the OpenAI SDKs: its keys go to the top level
    // (Decisions §10), overriding same-named params, and the key itself is not sent.
    if (auto extra = body.find("extra_body"); extra != body.end()) {
      json extra_fields = *extra;
      body.erase(extra);
      if (extra_fields.is_object()) {
        for (auto& [key, value] : extra_fields.items()) body[key] = value;
      }
    }
    req.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
    const auto stream = params.find("stream");
    const bool streaming = stream != params.end() && stream->is_boolean() && stream->get<bool>();
    set_header(req.headers, "Content-Type", "application/json");
    set_header(req.headers, "Accept", streaming ? "text/event-stream" : "application/json");
  } else {
    req.method = "GET";
    switch (endpoint) {
      case Endpoint::kModelMetadata: req.url = trimmed + "/model-metadata"; break;
      case Endpoint::kModelsWithMetadata: req.url = trimmed + "/models?metadata=true"; break;
      case Endpoint::kBalance: req.url = trimmed + "/balance"; break;
      default: req.url = trimmed + "/models"; break;
    }
    set_header(req.headers, "Accept", "application/json");
  }
  // Sent on every request, model discovery included: LLMBase's CDN treats Bearer traffic as
  // API traffic and skips browser challenges (llmbase-api.md §2).
  if (!config.api_key.empty()) set_header(req.headers, "Authorization", "Bearer " + config.api_key);
  if (!config.fallback) set_header(req.headers, "X-LLMBase-Fallback", "off");
  if (config.default_headers.is_object()) {
    for (const auto& [name, value] : config.default_headers.items()) {
      if (value.is_string()) set_header(req.headers, name, value.get<std::string>());
    }
  }
  *out = std::move(req);
  return {};
}

}  // namespace llmbase
