// Embind class CoreCall: one API call's core state, driven by the JS fetch transport (src/js/fetch-transport.mjs).
//
// The boundary is built for the hot path: per network read, JS copies the bytes into a buffer
// the call owns (inputBuffer) and makes one call (onBody). The answer is a small struct in wasm
// memory: flags plus the span of the chunk texts, comma-joined as received, which JS decodes
// with one TextDecoder call and one JSON.parse. Nothing is re-serialised, nothing is allocated
// per read once the buffers have grown, and the call state (error, result, retry delay) leaves
// as JSON only when a flag says there is some. JS owns each CoreCall and delete()s it.
#include "wasm/call_bindings.h"

#include <emscripten/bind.h>
#include <emscripten/emmalloc.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "core/chat_prepare.h"
#include "core/cost.h"
#include "core/json_text.h"
#include "core/metadata_fetch.h"
#include "core/request_validator.h"

using nlohmann::json;

namespace llmbase::wasm {
namespace {

int live_calls = 0;

// Flags of CoreCall::Update::flags.
constexpr std::uint32_t kFinished = 1;  // the call is over: state() has result or error
constexpr std::uint32_t kRetry = 2;     // the attempt failed; state() has retryDelayMs

}  // namespace

std::string dump_json(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

json error_to_json(const Error& e) {
  json out = {{"kind", error_kind_name(e.kind)}, {"message", e.message}};
  if (e.status) out["status"] = e.status;
  if (!e.code.empty()) out["code"] = e.code;
  if (!e.type.empty()) out["type"] = e.type;
  if (!e.param.empty()) out["param"] = e.param;
  return out;
}

ClientConfig config_from_json(const json& j) {
  ClientConfig c;
  if (!j.is_object()) return c;
  if (auto it = j.find("apiKey"); it != j.end() && it->is_string()) c.api_key = *it;
  if (auto it = j.find("baseURL"); it != j.end() && it->is_string()) c.base_url = *it;
  if (auto it = j.find("headers"); it != j.end() && it->is_object()) c.default_headers = *it;
  if (auto it = j.find("fallback"); it != j.end() && it->is_boolean()) c.fallback = *it;
  if (auto it = j.find("allowMissingKey"); it != j.end() && it->is_boolean()) {
    c.allow_missing_key = *it;
  }
  return c;
}

CallOptions call_options_from_json(const json& j) {
  CallOptions o;
  if (!j.is_object()) return o;
  if (auto it = j.find("maxRetries"); it != j.end() && it->is_number_integer()) {
    o.retry.max_retries = it->get<int>();
  }
  // Doubles are clamped before the integer conversion: out of range it would be undefined.
  if (auto it = j.find("maxRetryAfterMs"); it != j.end() && it->is_number()) {
    const double ms = it->get<double>();
    o.retry.max_retry_after_ms = ms > 0 ? static_cast<std::int64_t>(std::min(ms, 9.0e15)) : 0;
  }
  if (auto it = j.find("seed"); it != j.end() && it->is_number()) {
    const double seed = it->get<double>();
    o.seed = seed > 0 ? static_cast<std::uint64_t>(std::min(seed, 9.0e15)) : 0;
  }
  // The JS client checked it (a positive integer); Infinity arrives as null: no cap.
  if (auto it = j.find("maxReplyBytes"); it != j.end()) {
    const double max = it->is_number() ? it->get<double>() : 0;
    o.reply.max_bytes = max > 0 ? static_cast<std::size_t>(std::min(max, 4.0e9)) : 0;
  }
  if (auto it = j.find("keepContent"); it != j.end() && it->is_boolean()) {
    o.reply.keep_content = *it;
  }
  return o;
}

std::string Catalog::validate(const std::string& request_json,
                              const std::string& options_json) const {
  json request = parse_json_text(request_json);
  ValidationOptions options;
  json parsed_options = parse_json_text(options_json);
  if (!parsed_options.is_discarded()) parse_validation_options(parsed_options, options);
  return validation_result_json(validate_against_catalog(request, catalog_, options));
}

std::string Catalog::estimate_cost(const std::string& request_json) const {
  return estimate_cost_json(parse_json_text(request_json), catalog_);
}

std::string Catalog::actual_cost(const std::string& usage_json, const std::string& model_id) const {
  return actual_cost_json(parse_json_text(usage_json), catalog_, model_id);
}

std::string Catalog::completion_cost(const std::string& usage_json, const std::string& requested,
                                     const std::string& served) const {
  return completion_bill_json(parse_json_text(usage_json), catalog_, requested, served);
}

std::string Catalog::metadata_list() const { return metadata_list_json(catalog_); }

// The shell's steps before a chat check (chat_prepare.h): bit 1 shape first, bit 2 needs the
// catalog. Flags, not JSON: this runs once per request.
int plan_chat_checks_flags(const std::string& checks_json, bool catalog_fresh) {
  const ChatCheckPlan plan =
      plan_chat_checks(chat_checks_from_json(parse_json_text(checks_json)), catalog_fresh);
  return (plan.shape_first ? 1 : 0) | (plan.needs_catalog ? 2 : 0);
}

// The metadata request after `tried` failed with an error of kind `kind`: its endpoint name, or
// "" when the failure stands (metadata_fetch.h).
std::string metadata_fallback_name(const std::string& tried, const std::string& kind) {
  Endpoint ep;
  if (!endpoint_from_name(tried, &ep)) return {};
  const auto next = metadata_fallback(ep, error_kind_from_name(kind));
  return next ? std::string(endpoint_name(*next)) : std::string();
}

CoreCall::CoreCall() { ++live_calls; }
CoreCall::~CoreCall() { --live_calls; }

int CoreCall::live() { return live_calls; }

std::string CoreCall::refuse(const Error& e) { return dump_json({{"error", error_to_json(e)}}); }

std::string CoreCall::prepare(const std::string& config_json, const std::string& endpoint,
                              const std::string& params_json, const std::string& options_json) {
  json params = params_json.empty() ? json::object() : parse_json_text(params_json);
  if (params.is_discarded()) {
    return refuse(make_error(ErrorKind::kInvalidArgument, "invalid_json",
                             "The request could not be serialised."));
  }
  Endpoint ep;
  if (!endpoint_from_name(endpoint, &ep)) {
    return refuse(make_error(ErrorKind::kInvalidArgument, "unknown_endpoint",
                             "Unknown endpoint " + endpoint + "."));
  }
  return start(config_json, ep, params, options_json, "{}");
}

std::string CoreCall::prepare_chat(const std::string& config_json, const std::string& params_json,
                                   const std::string& checks_json, const Catalog* catalog,
                                   const std::string& options_json) {
  json params = parse_json_text(params_json);
  ChatChecks checks = chat_checks_from_json(parse_json_text(checks_json));
  ChatPreflight preflight =
      check_chat_request(params, catalog ? &catalog->catalog() : nullptr, checks);
  if (preflight.refused || checks.dry_run) return preflight_to_json(preflight);
  return start(config_json, Endpoint::kChatCompletions, params, options_json,
               preflight_to_json(preflight));
}

std::string CoreCall::start(const std::string& config_json, Endpoint ep, const json& params,
                            const std::string& options_json, const std::string& ok_json) {
  if (call_)
    return refuse(
        make_error(ErrorKind::kInvalidArgument, "call_reused", "A CoreCall is prepared once."));
  json config = parse_json_text(config_json);
  ClientConfig cfg = config_from_json(config);
  HttpRequest req;
  if (Error e = build_request(cfg, ep, params, &req); !e.ok()) {
    // Every field, with the apiKey and any key given as a header (the rule of error.h).
    std::vector<std::pair<std::string, std::string>> given;
    for (const auto& [name, value] : cfg.default_headers.items()) {
      if (value.is_string()) given.emplace_back(name, value.get<std::string>());
    }
    std::vector<std::string> secrets = header_secrets(given);
    secrets.push_back(cfg.api_key);
    redact_error(e, secrets);
    return refuse(e);
  }
  const auto stream = params.is_object() ? params.find("stream") : params.end();
  const bool streaming = ep == Endpoint::kChatCompletions && stream != params.end() &&
                         stream->is_boolean() && stream->get<bool>();
  CallOptions call_options = call_options_from_json(parse_json_text(options_json));
  call_options.array_body_ok =
      ep == Endpoint::kModelMetadata || ep == Endpoint::kModelsWithMetadata;
  secrets_ = header_secrets(req.headers);
  secrets_.push_back(cfg.api_key);
  call_ = std::make_unique<ApiCall>(std::move(req), streaming, cfg.api_key, call_options);
  return ok_json;
}

std::string CoreCall::redact_headers(const std::string& headers_json) const {
  json headers = parse_json_text(headers_json);
  if (!headers.is_array()) return {};
  bool changed = false;
  for (json& pair : headers) {
    if (!pair.is_array() || pair.size() != 2 || !pair[1].is_string()) continue;
    const std::string& value = pair[1].get_ref<const std::string&>();
    std::string clean = redact_header_value(value, secrets_);
    if (clean != value) {
      pair[1] = std::move(clean);
      changed = true;
    }
  }
  return changed ? dump_json(headers) : std::string();
}

std::string CoreCall::request() const {
  if (!call_) return "null";
  const HttpRequest& r = call_->request();
  json headers = json::array();
  for (const auto& [name, value] : r.headers) headers.push_back({name, value});
  json desc = {{"method", r.method}, {"url", r.url}, {"headers", headers}};
  if (!r.body.empty()) desc["body"] = r.body;
  return dump_json(desc);
}

std::uintptr_t CoreCall::input_buffer(int length) {
  input_.resize(static_cast<std::size_t>(std::max(length, 1)));
  return reinterpret_cast<std::uintptr_t>(input_.data());
}

std::uintptr_t CoreCall::on_response(int status, const std::string& content_type,
                                     const std::string& retry_after_ms,
                                     const std::string& retry_after, double now_ms) {
  update_.clear();
  if (call_ && !over_) {
    RetryHints hints{retry_after_ms, retry_after, static_cast<std::int64_t>(now_ms)};
    call_->on_response(status, content_type, hints);
  }
  return publish();
}

std::uintptr_t CoreCall::on_body(int length) {
  update_.clear();
  if (call_ && !over_) {
    const auto n = std::min(static_cast<std::size_t>(std::max(length, 0)), input_.size());
    call_->on_body(std::string_view(input_.data(), n), update_);
  }
  return publish();
}

std::uintptr_t CoreCall::on_end() {
  update_.clear();
  if (call_ && !over_) call_->on_end(update_);
  return publish();
}

std::uintptr_t CoreCall::on_error(const std::string& kind, const std::string& message) {
  update_.clear();
  if (call_ && !over_) call_->on_transport_error(error_kind_from_name(kind), message, update_);
  return publish();
}

std::uintptr_t CoreCall::publish() {
  std::uint32_t flags = 0;
  if (!call_ || over_) {
    flags = kFinished;  // a call not prepared, or over: nothing more comes
  } else {
    if (update_.finished) flags |= kFinished;
    if (update_.retry_delay_ms >= 0) flags |= kRetry;
  }
  state_.clear();
  if ((flags & (kFinished | kRetry)) && call_ && !over_) {
    json state = {{"finished", update_.finished}};
    if (!update_.error.ok()) state["error"] = error_to_json(update_.error);
    if (!update_.result.is_null()) state["result"] = std::move(update_.result);
    if (update_.retry_delay_ms >= 0) state["retryDelayMs"] = update_.retry_delay_ms;
    state_ = dump_json(state);
    if (update_.finished) over_ = true;
  }
  const std::string_view chunks = update_.chunks.joined();
  out_[0] = flags;
  out_[1] = static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(chunks.data()));
  out_[2] = static_cast<std::uint32_t>(chunks.size());
  out_[3] = static_cast<std::uint32_t>(update_.chunks.size());
  return reinterpret_cast<std::uintptr_t>(out_);
}

}  // namespace llmbase::wasm

EMSCRIPTEN_BINDINGS(llmbase_call) {
  using llmbase::wasm::Catalog;
  using llmbase::wasm::CoreCall;
  emscripten::class_<Catalog>("Catalog")
      .constructor<const std::string&>()
      .function("valid", &Catalog::valid)
      .function("size", &Catalog::size)
      .function("listJson", &Catalog::list_json)
      .function("validate", &Catalog::validate)
      .function("estimateCost", &Catalog::estimate_cost)
      .function("actualCost", &Catalog::actual_cost)
      .function("completionCost", &Catalog::completion_cost)
      .function("metadataList", &Catalog::metadata_list);
  emscripten::function("planChatChecks", &llmbase::wasm::plan_chat_checks_flags);
  emscripten::function("metadataFallback", &llmbase::wasm::metadata_fallback_name);
  emscripten::function(
      "transportErrorText",
      +[](const std::string& kind, double limit_ms, const std::string& detail) {
        return llmbase::transport_error_text(llmbase::error_kind_from_name(kind),
                                             static_cast<std::int64_t>(limit_ms), detail);
      });
  emscripten::class_<CoreCall>("CoreCall")
      .constructor<>()
      .function("prepare", &CoreCall::prepare)
      .function("prepareChat", &CoreCall::prepare_chat, emscripten::allow_raw_pointers())
      .function("request", &CoreCall::request)
      .function("inputBuffer", &CoreCall::input_buffer)
      .function("onResponse", &CoreCall::on_response)
      .function("onBody", &CoreCall::on_body)
      .function("onEnd", &CoreCall::on_end)
      .function("onError", &CoreCall::on_error)
      .function("state", &CoreCall::state)
      .function("redactHeaders", &CoreCall::redact_headers);
  emscripten::function("activeCalls", &CoreCall::live);
  // Bytes the core's allocator has handed out and not taken back: the heap a call leaves behind
  // (the wasm memory itself never shrinks, so its size alone cannot show that).
  emscripten::function(
      "heapInUse", +[]() -> double {
        return static_cast<double>(emmalloc_dynamic_heap_size() - emmalloc_free_dynamic_memory());
      });
}
