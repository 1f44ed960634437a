// The native Client: builds requests with the core, runs them over libcurl, validates with the core.
#include "llmbase/client.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

#include "core/chat_prepare.h"
#include "core/client_session.h"
#include "core/json_text.h"
#include "core/model_metadata.h"
#include "core/request_validator.h"
#include "core/validation_error.h"
#include "curl_transport.h"

using nlohmann::json;

namespace llmbase {
namespace {

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value && *value ? std::string(value) : fallback;
}

bool is_streaming(const json& params) {
  auto it = params.is_object() ? params.find("stream") : params.end();
  return it != params.end() && it->is_boolean() && it->get<bool>();
}

template <typename T>
Result<T> failure(Error error) {
  Result<T> r;
  r.error = std::move(error);
  return r;
}

}  // namespace

ClientOptions ClientOptions::from_env() {
  ClientOptions o;
  o.api_key = env_or("LLMBASE_API_KEY", "");
  o.base_url = env_or("LLMBASE_BASE_URL", kDefaultBaseUrl);
  return o;
}

Client::Client(ClientOptions options) : options_(std::move(options)) {
  if (options_.base_url.empty()) options_.base_url = kDefaultBaseUrl;
  if (options_.max_concurrency < 1) options_.max_concurrency = 1;
  detail::ensure_curl_initialised();
}

Client::~Client() = default;

void Client::acquire_slot() {
  std::unique_lock<std::mutex> lock(mutex_);
  const std::uint64_t ticket = next_ticket_++;
  // Tickets keep waiting calls in arrival order (Decisions §8: more wait their turn).
  slot_free_.wait(lock,
                  [&] { return ticket == serving_ticket_ && active_ < options_.max_concurrency; });
  ++serving_ticket_;
  ++active_;
  slot_free_.notify_all();
}

void Client::release_slot() {
  std::lock_guard<std::mutex> lock(mutex_);
  --active_;
  slot_free_.notify_all();
}

Result<json> Client::call(const std::string& endpoint, const json& params, const StreamSink* sink,
                          const RequestOptions& request_options) {
  ClientConfig config;
  config.api_key = options_.api_key;
  config.base_url = options_.base_url;
  config.fallback = options_.fallback;
  config.default_headers = json::object();
  for (const auto& [name, value] : options_.default_headers) config.default_headers[name] = value;
  for (const auto& [name, value] : request_options.headers) config.default_headers[name] = value;

  Endpoint ep;
  if (!endpoint_from_name(endpoint, &ep)) {
    return failure<json>(make_error(ErrorKind::kInvalidArgument, "unknown_endpoint", endpoint));
  }
  HttpRequest request;
  if (Error e = build_request(config, ep, params, &request); !e.ok()) {
    e.message = redact_secret(e.message, config.api_key);
    return failure<json>(std::move(e));
  }
  CallOptions call_options;
  call_options.retry.max_retries = request_options.max_retries.value_or(options_.max_retries);
  call_options.retry.max_retry_after_ms = options_.max_retry_after.count();
  call_options.seed =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  call_options.array_body_ok =
      ep == Endpoint::kModelMetadata || ep == Endpoint::kModelsWithMetadata;
  call_options.reply.max_bytes = request_options.max_reply_bytes.value_or(options_.max_reply_bytes);
  call_options.reply.keep_content = request_options.keep_content;
  ApiCall api_call(std::move(request), ep == Endpoint::kChatCompletions && is_streaming(params),
                   config.api_key, call_options);

  detail::TransportLimits limits;
  limits.timeout = request_options.timeout.value_or(options_.timeout);
  limits.deadline = std::chrono::steady_clock::now() + limits.timeout;
  limits.idle = request_options.idle_timeout.value_or(options_.idle_timeout);
  limits.cancel = request_options.cancel;

  static const StreamSink kIgnore = [](const ChunkList&, const ApiCall&) { return true; };
  acquire_slot();
  detail::TransportOutcome outcome = detail::run_call(api_call, limits, sink ? *sink : kIgnore);
  release_slot();

  Result<json> result;
  result.status = outcome.status;
  result.headers = std::move(outcome.headers);
  result.error = std::move(outcome.final.error);
  result.value = std::move(outcome.final.result);
  return result;
}

std::optional<Result<json>> Client::refuse_if_invalid(const json& request,
                                                      const RequestOptions& options) {
  if (options.validation.value_or(options_.validation) != ValidationMode::kError) {
    return std::nullopt;
  }
  // Shape errors need no metadata: refuse them before any request, as the JS client does.
  std::vector<Finding> shape = validate_request(request, nullptr, nullptr, ValidationOptions{});
  shape.erase(std::remove_if(shape.begin(), shape.end(),
                             [](const Finding& f) { return f.severity != Severity::kError; }),
              shape.end());
  if (!shape.empty()) {
    Result<json> refused;
    refused.value = json::parse(validation_result_json(shape), nullptr, false);
    refused.error = validation_error(refused.value["findings"]);
    return refused;
  }
  Result<json> checked = validate(request, options);
  const auto ok = checked.value.find("ok");
  if (ok == checked.value.end() || !ok->is_boolean() || ok->get<bool>()) return std::nullopt;
  Result<json> refused;
  refused.error = validation_error(checked.value["findings"]);
  refused.value = std::move(checked.value);
  return refused;
}

Result<json> Client::chat_completion(const json& request, const RequestOptions& options) {
  json body = request;
  if (body.is_object()) body.erase("stream");
  if (auto refused = refuse_if_invalid(body, options)) return std::move(*refused);
  return call("chat", body, nullptr, options);
}

Result<json> Client::stream(const json& request, const StreamSink& sink,
                            const RequestOptions& options) {
  json body = request;
  if (body.is_object()) body["stream"] = true;
  if (auto refused = refuse_if_invalid(body, options)) return std::move(*refused);
  return call("chat", body, &sink, options);
}

Result<json> Client::stream_chat_completion(const json& request, const ChunkCallback& on_chunk,
                                            const RequestOptions& options) {
  const StreamSink sink = [&on_chunk](const ChunkList& chunks, const ApiCall&) {
    for (std::string_view text : chunks) {
      if (!on_chunk(parse_json_text(text))) return false;  // the core already checked it parses
    }
    return true;
  };
  return stream(request, sink, options);
}

Result<json> Client::stream_chat_text(const json& request, const TextCallback& on_text,
                                      const RequestOptions& options) {
  // Kept content grows: hand out what is new. Dropped content is this read's only.
  std::size_t handed_out = 0;
  const bool keep = options.keep_content;
  const StreamSink sink = [&on_text, &handed_out, keep](const ChunkList&, const ApiCall& call) {
    const std::string_view content = call.stream_content();
    const std::size_t from = keep ? handed_out : 0;
    if (content.size() <= from) return true;
    handed_out = content.size();
    return on_text(content.substr(from));
  };
  return stream(request, sink, options);
}

Result<json> Client::list_models(const RequestOptions& options) {
  return call("models", json::object(), nullptr, options);
}

Result<json> Client::balance(const RequestOptions& options) {
  return call("balance", json::object(), nullptr, options);
}

Result<json> Client::model_metadata(bool refresh, const RequestOptions& options) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!refresh && metadata_ &&
        std::chrono::steady_clock::now() - metadata_at_ < options_.metadata_ttl) {
      Result<json> cached;
      cached.value = *metadata_;
      return cached;
    }
  }
  Result<json> raw = call("model-metadata", json::object(), nullptr, options);
  // /v1/model-metadata is not in LLMBase's public docs: fall back to the documented query.
  if (raw.error.kind == ErrorKind::kNotFound) {
    raw = call("models-metadata", json::object(), nullptr, options);
  }
  if (!raw.ok()) return raw;
  json parsed = json::parse(
      parse_model_metadata_json(raw.value.dump(-1, ' ', false, json::error_handler_t::replace)),
      nullptr, false);
  const auto ok = parsed.find("ok");
  if (ok == parsed.end() || !ok->is_boolean() || !ok->get<bool>()) {
    const auto text = parsed.find("error");
    return failure<json>(make_error(ErrorKind::kInvalidResponse, "invalid_metadata",
                                    text != parsed.end() && text->is_string()
                                        ? text->get<std::string>()
                                        : std::string("The metadata is of no known shape.")));
  }
  Result<json> result;
  result.value = {{"object", "list"}, {"data", parsed["models"]}, {"skipped", parsed["skipped"]}};
  result.status = raw.status;
  result.headers = std::move(raw.headers);
  std::lock_guard<std::mutex> lock(mutex_);
  metadata_ = result.value;
  metadata_at_ = std::chrono::steady_clock::now();
  return result;
}

Result<json> Client::validate(const json& request, const RequestOptions& options) {
  Result<json> metadata = model_metadata(false, options);
  Result<json> result;
  if (!metadata.ok()) {
    // Validation never blocks on its own failure (Decisions §3): say so, as the JS client does.
    result.value =
        json::parse(validation_result_json({metadata_unavailable_finding(metadata.error.message)}),
                    nullptr, false);
    return result;
  }
  ModelCatalog catalog = ModelCatalog::parse(metadata.value);
  result.value = json::parse(
      validation_result_json(validate_against_catalog(request, catalog, ValidationOptions{})),
      nullptr, false);
  return result;
}

}  // namespace llmbase
