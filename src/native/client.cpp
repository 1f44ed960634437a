// The native Client: builds requests with the core, runs them over libcurl, validates with the core.
#include "llmbase/client.h"

#include <cstdlib>
#include <vector>

#include "core/api_call.h"
#include "core/chat_prepare.h"
#include "core/json_text.h"
#include "core/metadata_fetch.h"
#include "core/model_metadata.h"
#include "core/request_validator.h"
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

ChatChecks::Mode core_mode(ValidationMode mode) {
  switch (mode) {
    case ValidationMode::kWarn: return ChatChecks::Mode::kWarn;
    case ValidationMode::kOff: return ChatChecks::Mode::kOff;
    default: return ChatChecks::Mode::kError;
  }
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

// What the pre-send check decided: a refusal, or the findings it let through and the catalog it
// checked against (for the bill).
struct Client::PreSend {
  std::optional<Result<json>> refused;
  json findings = json::array();
  std::shared_ptr<const ModelCatalog> catalog;
};

std::shared_ptr<const ModelCatalog> Client::fresh_catalog(bool just_fetched) {
  std::lock_guard<std::mutex> lock(mutex_);
  // Right after model_metadata() succeeded its catalog is the one to use, whatever the TTL (a
  // metadata_ttl of 0 means "fetch every time", not "never use it").
  if (catalog_ &&
      (just_fetched || std::chrono::steady_clock::now() - metadata_at_ < options_.metadata_ttl))
    return catalog_;
  return nullptr;
}

Client::PreSend Client::check_before_sending(const json& request, const RequestOptions& options) {
  ChatChecks checks;
  checks.mode = core_mode(options.validation.value_or(options_.validation));
  checks.budget_usd = options.budget_usd ? options.budget_usd : options_.budget_usd;
  checks.validation.allow_params = options_.allow_params;
  std::shared_ptr<const ModelCatalog> catalog = fresh_catalog();
  const ChatCheckPlan plan = plan_chat_checks(checks, catalog != nullptr);
  PreSend out;
  auto refuse = [&out](const ChatPreflight& preflight) {
    Result<json> refused;
    refused.value = parse_json_text(preflight_to_json(preflight));
    refused.error = preflight.error;
    refused.findings = refused.value["findings"];
    out.refused = std::move(refused);
  };
  if (plan.shape_first) {
    ChatChecks shape = checks;
    shape.shape_only = true;
    ChatPreflight preflight = check_chat_request(request, nullptr, shape);
    if (preflight.refused) {
      refuse(preflight);
      return out;
    }
  }
  if (!plan.needs_catalog) return out;
  if (!catalog) {
    Result<json> metadata = model_metadata(false, options);
    if (metadata.error.kind == ErrorKind::kUserAbort) {
      out.refused = failure<json>(std::move(metadata.error));
      return out;
    }
    catalog = metadata.ok() ? fresh_catalog(true) : nullptr;
    if (!catalog) checks.metadata_error = metadata.error.message;
  }
  ChatPreflight preflight = check_chat_request(request, catalog.get(), checks);
  if (preflight.refused) {
    refuse(preflight);
    return out;
  }
  out.findings = parse_json_text(findings_to_json(preflight.findings));
  out.catalog = std::move(catalog);
  return out;
}

Result<json> Client::send_chat(const json& body, const StreamSink* sink,
                               const RequestOptions& options) {
  PreSend checked = check_before_sending(body, options);
  if (checked.refused) return std::move(*checked.refused);
  Result<json> result = call("chat", body, sink, options);
  result.findings = std::move(checked.findings);
  const auto usage = result.value.is_object() ? result.value.find("usage") : result.value.end();
  if (checked.catalog && usage != result.value.end() && usage->is_object()) {
    const auto served = result.headers.find("x-llmbase-served-model");
    result.cost = parse_json_text(
        completion_bill_json(*usage, *checked.catalog, detail::string_or_empty(body, "model"),
                             served != result.headers.end() ? served->second : std::string()));
  }
  return result;
}

Result<json> Client::chat_completion(const json& request, const RequestOptions& options) {
  json body = request;
  if (body.is_object()) body.erase("stream");
  return send_chat(body, nullptr, options);
}

Result<json> Client::stream(const json& request, const StreamSink& sink,
                            const RequestOptions& options) {
  json body = request;
  if (body.is_object()) body["stream"] = true;
  return send_chat(body, &sink, options);
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
  // The core names each request of the fetch: /model-metadata, then its fallback on a 404.
  Endpoint endpoint = kFirstMetadataEndpoint;
  Result<json> raw = call(std::string(endpoint_name(endpoint)), json::object(), nullptr, options);
  while (!raw.ok()) {
    const std::optional<Endpoint> next = metadata_fallback(endpoint, raw.error.kind);
    if (!next) return raw;
    endpoint = *next;
    raw = call(std::string(endpoint_name(endpoint)), json::object(), nullptr, options);
  }
  auto catalog = std::make_shared<ModelCatalog>(ModelCatalog::parse(raw.value));
  if (!catalog->recognized()) {
    return failure<json>(
        make_error(ErrorKind::kInvalidResponse, "invalid_metadata", kMetadataShapeError));
  }
  Result<json> result;
  result.value = parse_json_text(metadata_list_json(*catalog));
  result.status = raw.status;
  result.headers = std::move(raw.headers);
  std::lock_guard<std::mutex> lock(mutex_);
  metadata_ = result.value;
  catalog_ = std::move(catalog);
  metadata_at_ = std::chrono::steady_clock::now();
  return result;
}

Result<json> Client::validate(const json& request, const RequestOptions& options) {
  ChatChecks checks;  // mode error, no budget: what the request itself would meet
  checks.validation.allow_params = options_.allow_params;
  checks.dry_run = true;
  Result<json> metadata = model_metadata(false, options);
  std::shared_ptr<const ModelCatalog> catalog = metadata.ok() ? fresh_catalog(true) : nullptr;
  // Validation never blocks on its own failure (Decisions §3): the core says so as a warning.
  if (!catalog) checks.metadata_error = metadata.error.message;
  ChatPreflight preflight = check_chat_request(request, catalog.get(), checks);
  Result<json> result;
  result.value = parse_json_text(validation_result_json(preflight.findings));
  return result;
}

}  // namespace llmbase
