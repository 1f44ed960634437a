// Embind surface of the core and the C entry points the fetch transport (fetch_transport.js) calls.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <algorithm>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"
#include "core/cli_format.h"
#include "core/client_session.h"
#include "core/cost.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/model_metadata.h"
#include "core/request_validator.h"

using nlohmann::json;

extern "C" {
// Implemented in fetch_transport.js: starts fetch() for call `id` with a JSON request description.
void llmbase_js_fetch_start(int id, const char* request_json);
}

namespace llmbase::wasm {
namespace {

std::map<int, std::unique_ptr<ApiCall>>& calls() {
  static std::map<int, std::unique_ptr<ApiCall>> map;
  return map;
}

int next_call_id = 1;

// The last update handed to JS; valid until the next entry point runs (JS copies it at once).
std::string& update_buffer() {
  static std::string buffer;
  return buffer;
}

json error_to_json(const Error& e) {
  json out = {{"kind", error_kind_name(e.kind)}, {"message", e.message}};
  if (e.status) out["status"] = e.status;
  if (!e.code.empty()) out["code"] = e.code;
  if (!e.type.empty()) out["type"] = e.type;
  if (!e.param.empty()) out["param"] = e.param;
  return out;
}

std::string dump(const json& j) { return j.dump(-1, ' ', false, json::error_handler_t::replace); }

// Serialises an update by hand so chunk texts are embedded as received, not re-serialised.
std::string update_to_json(const CallUpdate& u) {
  std::string out = "{\"chunks\":[";
  for (std::size_t i = 0; i < u.chunks.size(); ++i) {
    if (i) out += ',';
    out += u.chunks[i];
  }
  out += "],\"finished\":";
  out += u.finished ? "true" : "false";
  if (!u.error.ok()) out += ",\"error\":" + dump(error_to_json(u.error));
  if (!u.result.is_null()) out += ",\"result\":" + dump(u.result);
  if (u.retry_delay_ms >= 0) out += ",\"retryDelayMs\":" + std::to_string(u.retry_delay_ms);
  out += '}';
  return out;
}

const char* publish(int id, const CallUpdate& update) {
  if (update.finished) calls().erase(id);
  update_buffer() = update_to_json(update);
  return update_buffer().c_str();
}

const char* unknown_call() {
  update_buffer() = R"({"chunks":[],"finished":true,"error":{"kind":"user_abort","message":"call no longer active"}})";
  return update_buffer().c_str();
}

ClientConfig config_from_json(const json& j) {
  ClientConfig c;
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
  return o;
}

// Prepares a call: {"id":N} on success, {"error":{...}} when it is refused before any I/O.
std::string prepare_call(const std::string& config_json, const std::string& endpoint,
                         const std::string& params_json, const std::string& options_json) {
  json config = parse_json_text(config_json);
  json params = parse_json_text(params_json);
  if (config.is_discarded() || params.is_discarded()) {
    return dump({{"error", error_to_json(make_error(ErrorKind::kInvalidArgument, "invalid_json",
                                                    "The request could not be serialised."))}});
  }
  ClientConfig cfg = config_from_json(config);
  Endpoint ep;
  if (!endpoint_from_name(endpoint, &ep)) {
    return dump({{"error", error_to_json(make_error(ErrorKind::kInvalidArgument, "unknown_endpoint",
                                                    "Unknown endpoint " + endpoint + "."))}});
  }
  HttpRequest req;
  if (Error e = build_request(cfg, ep, params, &req); !e.ok()) {
    e.message = redact_secret(e.message, cfg.api_key);
    return dump({{"error", error_to_json(e)}});
  }
  const auto stream = params.is_object() ? params.find("stream") : params.end();
  const bool streaming = ep == Endpoint::kChatCompletions && stream != params.end() &&
                         stream->is_boolean() && stream->get<bool>();
  const int id = next_call_id++;
  CallOptions call_options = call_options_from_json(parse_json_text(options_json));
  call_options.array_body_ok = ep == Endpoint::kModelMetadata || ep == Endpoint::kModelsWithMetadata;
  calls()[id] = std::make_unique<ApiCall>(std::move(req), streaming, cfg.api_key, call_options);
  return dump({{"id", id}});
}

// Hands the prepared request to the transport (fetch_transport.js).
void send_call(int id) {
  auto it = calls().find(id);
  if (it == calls().end()) return;
  const HttpRequest& r = it->second->request();
  json headers = json::array();
  for (const auto& [name, value] : r.headers) headers.push_back({name, value});
  json desc = {{"method", r.method}, {"url", r.url}, {"headers", headers}};
  if (!r.body.empty()) desc["body"] = r.body;
  llmbase_js_fetch_start(id, dump(desc).c_str());
}

// Drops a call's state without a transport event (the wrapper gave up on it).
void release_call(int id) { calls().erase(id); }

int active_calls() { return static_cast<int>(calls().size()); }

// Direct access to the stream decoder, for fixtures and tools that bring their own bytes.
class StreamDecoder {
 public:
  std::string feed(const std::string& bytes) {
    StreamBatch batch;
    decoder_.feed(bytes, batch);
    return batch_to_json(batch);
  }
  std::string finish() {
    StreamBatch batch;
    decoder_.finish(batch);
    return batch_to_json(batch);
  }
  std::string completion() const { return dump(decoder_.accumulator().completion()); }

 private:
  static std::string batch_to_json(StreamBatch& batch) {
    CallUpdate u;
    u.chunks = std::move(batch.chunks);
    u.finished = batch.done || !batch.error.ok();
    u.error = std::move(batch.error);
    return update_to_json(u);
  }
  ChatStreamDecoder decoder_;
};

}  // namespace
}  // namespace llmbase::wasm

using namespace llmbase;
using namespace llmbase::wasm;

extern "C" {

// `retry_after_ms` / `retry_after` are the response's header values ("" when absent) and
// `now_ms` the transport's clock, so the core can honour the server's wait hints.
EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_response(int id, int status,
                                                          const char* content_type,
                                                          const char* retry_after_ms,
                                                          const char* retry_after, double now_ms) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  RetryHints hints{retry_after_ms, retry_after, static_cast<std::int64_t>(now_ms)};
  it->second->on_response(status, content_type, hints);
  return publish(id, CallUpdate{});
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_body(int id, const char* bytes, int length) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->on_body(std::string_view(bytes, static_cast<std::size_t>(length)), update);
  return publish(id, update);
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_end(int id) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->on_end(update);
  return publish(id, update);
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_error(int id, const char* kind,
                                                       const char* message) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->on_transport_error(error_kind_from_name(kind), message, update);
  return publish(id, update);
}

}  // extern "C"

// The JSON-in/JSON-out helpers of the core, bound as they are so that wasm and native output
// stay byte-identical (the parity tests compare them).
std::string normalize_model_metadata(const std::string& text) { return parse_model_metadata_json(text); }
std::string validate_request_text(const std::string& request, const std::string& metadata,
                                  const std::string& options) {
  return validate_request_json(request, metadata, options);
}
std::string estimate_cost_text(const std::string& request, const std::string& metadata) {
  return estimate_cost_json(request, metadata);
}

// A metadata catalog parsed once and kept in wasm memory: the client validates and prices every
// request against it without shipping and re-parsing the whole catalog each time.
class Catalog {
 public:
  explicit Catalog(const std::string& metadata_json)
      : catalog_(ModelCatalog::parse_text(metadata_json, &valid_)) {}
  bool valid() const { return valid_; }
  int size() const { return static_cast<int>(catalog_.models().size()); }
  std::string validate(const std::string& request_json, const std::string& options_json) const {
    json request = parse_json_text(request_json);
    ValidationOptions options;
    json parsed_options = parse_json_text(options_json);
    if (!parsed_options.is_discarded()) parse_validation_options(parsed_options, options);
    return validation_result_json(validate_against_catalog(request, catalog_, options));
  }
  std::string estimate_cost(const std::string& request_json) const {
    return estimate_cost_json(parse_json_text(request_json), catalog_);
  }
  std::string actual_cost(const std::string& usage_json, const std::string& model_id) const {
    return actual_cost_json(parse_json_text(usage_json), catalog_, model_id);
  }

 private:
  bool valid_ = true;
  ModelCatalog catalog_;
};

// The CLI's text, from the core, so the Node and the native CLI print the same bytes.
Error error_from_record(const json& record) {
  Error e;
  auto str = [&record](const char* key) { return detail::string_or_empty(record, key); };
  e.kind = error_kind_from_name(str("kind"));
  auto status = record.find("status");
  if (status != record.end() && status->is_number_integer()) e.status = status->get<int>();
  e.code = str("code");
  e.param = str("param");
  e.message = str("message");
  return e;
}
std::string cli_error_line(const std::string& record_json) {
  json record = parse_json_text(record_json);
  return format_cli_error(error_from_record(record.is_object() ? record : json::object()));
}
int cli_exit_code(const std::string& kind) { return exit_code_for(error_kind_from_name(kind)); }
std::string cli_validation_error(const std::string& findings_json) {
  return dump(error_to_json(validation_error(parse_json_text(findings_json))));
}
std::string cli_text(const std::string& format, const std::string& value_json) {
  json value = parse_json_text(value_json);
  if (format == "models") return format_models(value);
  if (format == "metadata") return format_metadata(value);
  if (format == "balance") return format_balance(value);
  return format_json(value);
}

EMSCRIPTEN_BINDINGS(llmbase_core) {
  emscripten::function("cliErrorLine", &cli_error_line);
  emscripten::function("cliExitCode", &cli_exit_code);
  emscripten::function("cliValidationError", &cli_validation_error);
  emscripten::function("cliText", &cli_text);
  emscripten::function("cliHelp", &cli_help);
  emscripten::function("normalizeModelMetadata", &normalize_model_metadata);
  emscripten::function("validateRequest", &validate_request_text);
  emscripten::function("estimateCost", &estimate_cost_text);
  emscripten::class_<Catalog>("Catalog")
      .constructor<const std::string&>()
      .function("valid", &Catalog::valid)
      .function("size", &Catalog::size)
      .function("validate", &Catalog::validate)
      .function("estimateCost", &Catalog::estimate_cost)
      .function("actualCost", &Catalog::actual_cost);
  emscripten::function("prepareCall", &prepare_call);
  emscripten::function("sendCall", &send_call);
  emscripten::function("releaseCall", &release_call);
  emscripten::function("activeCalls", &active_calls);
  emscripten::class_<StreamDecoder>("StreamDecoder")
      .constructor<>()
      .function("feed", &StreamDecoder::feed)
      .function("finish", &StreamDecoder::finish)
      .function("completion", &StreamDecoder::completion);
}
