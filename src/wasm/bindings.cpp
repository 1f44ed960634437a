// Embind surface of the core and the C entry points the fetch transport (fetch_transport.js) calls.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>

#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "core/chat_stream.h"
#include "core/client_session.h"
#include "core/error.h"

using nlohmann::json;

extern "C" {
// Implemented in fetch_transport.js: starts fetch() for call `id` with a JSON request description.
void llmbase_js_fetch_start(int id, const char* request_json);
}

namespace llmbase::wasm {
namespace {

struct Call {
  HttpRequest request;
  ResponseConsumer consumer;
  Call(HttpRequest req, bool stream, std::string key)
      : request(std::move(req)), consumer(stream, std::move(key)) {}
};

std::map<int, std::unique_ptr<Call>>& calls() {
  static std::map<int, std::unique_ptr<Call>> map;
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
  return c;
}

// Prepares a call: {"id":N} on success, {"error":{...}} when it is refused before any I/O.
std::string prepare_call(const std::string& config_json, const std::string& endpoint,
                         const std::string& params_json) {
  json config = json::parse(config_json, nullptr, false);
  json params = json::parse(params_json, nullptr, false);
  if (config.is_discarded() || params.is_discarded()) {
    return dump({{"error", error_to_json(make_error(ErrorKind::kInvalidArgument, "invalid_json",
                                                    "The request could not be serialised."))}});
  }
  ClientConfig cfg = config_from_json(config);
  Endpoint ep = endpoint == "models" ? Endpoint::kModels : Endpoint::kChatCompletions;
  HttpRequest req;
  if (Error e = build_request(cfg, ep, params, &req); !e.ok()) {
    e.message = redact_secret(e.message, cfg.api_key);
    return dump({{"error", error_to_json(e)}});
  }
  const auto stream = params.is_object() ? params.find("stream") : params.end();
  const bool streaming = ep == Endpoint::kChatCompletions && stream != params.end() &&
                         stream->is_boolean() && stream->get<bool>();
  const int id = next_call_id++;
  calls()[id] = std::make_unique<Call>(std::move(req), streaming, cfg.api_key);
  return dump({{"id", id}});
}

// Hands the prepared request to the transport (fetch_transport.js).
void send_call(int id) {
  auto it = calls().find(id);
  if (it == calls().end()) return;
  const HttpRequest& r = it->second->request;
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

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_response(int id, int status,
                                                          const char* content_type) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  it->second->consumer.on_status(status, content_type);
  return publish(id, CallUpdate{});
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_body(int id, const char* bytes, int length) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->consumer.on_body(std::string_view(bytes, static_cast<std::size_t>(length)), update);
  return publish(id, update);
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_end(int id) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->consumer.on_end(update);
  return publish(id, update);
}

EMSCRIPTEN_KEEPALIVE const char* llmbase_call_on_error(int id, const char* kind,
                                                       const char* message) {
  auto it = calls().find(id);
  if (it == calls().end()) return unknown_call();
  CallUpdate update;
  it->second->consumer.on_transport_error(error_kind_from_name(kind), message, update);
  return publish(id, update);
}

}  // extern "C"

EMSCRIPTEN_BINDINGS(llmbase_core) {
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
