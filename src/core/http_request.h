// The HTTP request of one API call, built without I/O: endpoints, client config, the key guard.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "error.h"

namespace llmbase {

inline constexpr const char* kDefaultBaseUrl = "https://api.llmbase.ai/v1";
inline constexpr const char* kAgentsBaseUrl = "https://llmbase.ai/api/v1/agents";

struct ClientConfig {
  std::string api_key;
  std::string base_url = kDefaultBaseUrl;
  nlohmann::json default_headers = nlohmann::json::object();  // name → string value
  bool fallback = true;  // false sends `X-LLMBase-Fallback: off`
  // No key, on purpose: the base URL is a proxy that adds it server side (a browser widget).
  // Requests then go out without Authorization instead of being refused.
  bool allow_missing_key = false;
};

struct HttpRequest {
  std::string method;
  std::string url;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;  // empty for GET
};

enum class Endpoint {
  kChatCompletions,     // POST /chat/completions
  kModels,              // GET /models (the only call that may go out without a key)
  kModelMetadata,       // GET /model-metadata (LLMBase)
  kModelsWithMetadata,  // GET /models?metadata=true (fallback when /model-metadata is 404)
  kBalance,             // GET /balance (LLMBase)
};

// Parses the endpoint names the bindings use ("chat", "models", "model-metadata",
// "models-metadata", "balance"); false for anything else.
bool endpoint_from_name(std::string_view name, Endpoint* out);
// The name endpoint_from_name parses.
std::string_view endpoint_name(Endpoint endpoint);

// Builds the request for `endpoint`. `params` is the caller's JSON body for chat completions
// (sent as given: unknown fields pass through) and ignored for GETs. Refuses, without any I/O,
// a missing key, an agents key on the inference host, a bad base URL, or params that are not
// an object with a model and messages.
Error build_request(const ClientConfig& config, Endpoint endpoint, const nlohmann::json& params,
                    HttpRequest* out);

}  // namespace llmbase
