// Chunk accumulation and the chat stream decoder (SSE → chunks → completion).
#include "chat_stream.h"

#include "json_text.h"

using nlohmann::json;

namespace llmbase {
namespace {

// Reads a string member; absent, null or non-string values read as empty.
const std::string* string_member(const json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_string()) return nullptr;
  return it->get_ptr<const std::string*>();
}

long long index_of(const json& obj, long long fallback) {
  auto it = obj.find("index");
  if (it != obj.end() && it->is_number_integer()) return it->get<long long>();
  return fallback;
}

void keep_first(json& slot, const json& obj, const char* key) {
  if (!slot.is_null()) return;
  auto it = obj.find(key);
  if (it != obj.end() && !it->is_null()) slot = *it;
}

void append_logprobs(json& into, const json& logprobs) {
  if (!logprobs.is_object()) return;
  if (!into.is_object()) into = json::object();
  for (const char* key : {"content", "refusal"}) {
    auto it = logprobs.find(key);
    if (it == logprobs.end() || !it->is_array()) continue;
    json& list = into[key];
    if (!list.is_array()) list = json::array();
    for (const auto& item : *it) list.push_back(item);
  }
}

// At most `max` bytes of valid UTF-8 `s`, cut before a character rather than inside one.
std::string utf8_prefix(const std::string& s, std::size_t max) {
  if (s.size() <= max) return s;
  while (max > 0 && (static_cast<unsigned char>(s[max]) & 0xC0) == 0x80) --max;
  return s.substr(0, max);
}

}  // namespace

Error error_from_envelope(const json& body, ErrorKind kind, int status) {
  Error e;
  e.kind = kind;
  e.status = status;
  const json* obj = &body;
  if (body.is_object()) {
    auto it = body.find("error");
    if (it != body.end() && it->is_object()) obj = &*it;
  }
  if (obj->is_object()) {
    if (auto* s = string_member(*obj, "message")) e.message = *s;
    if (auto* s = string_member(*obj, "type")) e.type = *s;
    if (auto* s = string_member(*obj, "param")) e.param = *s;
    auto code = obj->find("code");
    if (code != obj->end()) {
      if (code->is_string()) e.code = code->get<std::string>();
      if (code->is_number_integer()) e.code = std::to_string(code->get<long long>());
    }
  } else if (body.is_string()) {
    e.message = body.get<std::string>();
  }
  return e;
}

Error ChatStreamAccumulator::add_chunk(const json& chunk) {
  if (!chunk.is_object()) {
    return make_error(ErrorKind::kInvalidResponse, "invalid_chunk",
                      "A stream chunk was not a JSON object.");
  }
  auto err = chunk.find("error");
  if (err != chunk.end() && !err->is_null()) {
    Error e = error_from_envelope(chunk, ErrorKind::kStreamError, 0);
    if (e.message.empty()) e.message = "The server reported an error in the middle of the stream.";
    return e;
  }
  ++chunks_;
  keep_first(id_, chunk, "id");
  keep_first(created_, chunk, "created");
  keep_first(model_, chunk, "model");
  keep_first(system_fingerprint_, chunk, "system_fingerprint");
  keep_first(service_tier_, chunk, "service_tier");
  // LLMBase puts usage on the last content chunk, OpenAI on a trailing `choices: []` chunk;
  // either way the last usage object seen wins.
  auto usage = chunk.find("usage");
  if (usage != chunk.end() && usage->is_object()) usage_ = *usage;
  auto choices = chunk.find("choices");
  if (choices != chunk.end() && choices->is_array()) {
    long long position = 0;
    for (const auto& choice : *choices) {
      if (choice.is_object()) add_choice(choice, position);
      ++position;
    }
  }
  return {};
}

void ChatStreamAccumulator::add_choice(const json& choice_json, long long position) {
  Choice& c = choices_[index_of(choice_json, position)];
  auto delta_it = choice_json.find("delta");
  if (delta_it != choice_json.end() && delta_it->is_object()) {
    const json& delta = *delta_it;
    if (auto* s = string_member(delta, "role")) c.role = *s;
    if (auto* s = string_member(delta, "content")) { c.content += *s; c.has_content = true; }
    if (auto* s = string_member(delta, "refusal")) { c.refusal += *s; c.has_refusal = true; }
    if (auto* s = string_member(delta, "reasoning_content")) {
      c.reasoning_content += *s;
      c.has_reasoning_content = true;
    }
    if (auto* s = string_member(delta, "reasoning")) { c.reasoning += *s; c.has_reasoning = true; }
    auto calls = delta.find("tool_calls");
    if (calls != delta.end() && calls->is_array()) {
      long long position = 0;
      for (const auto& call : *calls) {
        if (!call.is_object()) continue;
        // Merge by `index`: id and name usually come first, arguments in later pieces; a name
        // that arrives late still lands on the right call.
        ToolCall& t = c.tool_calls[index_of(call, position++)];
        if (auto* s = string_member(call, "id"); s && !s->empty()) t.id = *s;
        if (auto* s = string_member(call, "type"); s && !s->empty()) t.type = *s;
        auto fn = call.find("function");
        if (fn != call.end() && fn->is_object()) {
          if (auto* s = string_member(*fn, "name"); s && !s->empty()) t.name = *s;
          if (auto* s = string_member(*fn, "arguments")) t.arguments += *s;
        }
      }
    }
  }
  auto logprobs = choice_json.find("logprobs");
  if (logprobs != choice_json.end()) append_logprobs(c.logprobs, *logprobs);
  auto finish = choice_json.find("finish_reason");
  if (finish != choice_json.end() && finish->is_string()) {
    if (c.finish_reason.is_null()) ++finish_reasons_;
    c.finish_reason = *finish;
  }
}

json ChatStreamAccumulator::completion() const {
  json out = json::object();
  out["id"] = id_.is_null() ? json("") : id_;
  out["object"] = "chat.completion";
  out["created"] = created_.is_null() ? json(0) : created_;
  out["model"] = model_.is_null() ? json("") : model_;
  json choices = json::array();
  for (const auto& [index, c] : choices_) {
    json message = json::object();
    message["role"] = c.role;
    message["content"] = c.has_content ? json(c.content) : json(nullptr);
    if (c.has_refusal) message["refusal"] = c.refusal;
    if (c.has_reasoning_content) message["reasoning_content"] = c.reasoning_content;
    if (c.has_reasoning) message["reasoning"] = c.reasoning;
    if (!c.tool_calls.empty()) {
      json calls = json::array();
      for (const auto& [call_index, t] : c.tool_calls) {
        calls.push_back({{"id", t.id},
                         {"type", t.type.empty() ? "function" : t.type},
                         {"function", {{"name", t.name}, {"arguments", t.arguments}}}});
      }
      message["tool_calls"] = std::move(calls);
    }
    choices.push_back({{"index", index},
                       {"message", std::move(message)},
                       {"logprobs", c.logprobs},
                       {"finish_reason", c.finish_reason}});
  }
  out["choices"] = std::move(choices);
  if (!usage_.is_null()) out["usage"] = usage_;
  if (!system_fingerprint_.is_null()) out["system_fingerprint"] = system_fingerprint_;
  if (!service_tier_.is_null()) out["service_tier"] = service_tier_;
  return out;
}

ChatStreamDecoder::ChatStreamDecoder(std::size_t max_event_bytes) : sse_(max_event_bytes) {}

void ChatStreamDecoder::feed(std::string_view bytes, StreamBatch& out) {
  if (ended()) return;
  events_.clear();
  Error err = sse_.feed(bytes, events_);
  // Events completed before an oversized one are still delivered, in order.
  for (auto& ev : events_) {
    handle_event(ev, out);
    if (ended()) return;
  }
  if (!err.ok()) fail(std::move(err), out);
}

void ChatStreamDecoder::finish(StreamBatch& out) {
  if (ended()) return;
  sse_.finish();
  if (acc_.has_finish_reason()) {
    done_ = true;  // LLMBase-compatible servers may omit [DONE]; a finish_reason is a clean end.
    out.done = true;
    return;
  }
  fail(make_error(ErrorKind::kIncompleteStream, "incomplete_stream",
                  "The stream ended before [DONE] and before any finish_reason; the reply is "
                  "incomplete. Retry the request."),
       out);
}

void ChatStreamDecoder::handle_event(SseEvent& ev, StreamBatch& out) {
  if (ev.data == "[DONE]") {
    done_ = true;
    out.done = true;
    return;
  }
  json parsed = parse_json_text(ev.data);
  if (ev.event == "error") {
    Error e = error_from_envelope(parsed.is_discarded() ? json(ev.data) : parsed,
                                  ErrorKind::kStreamError, 0);
    if (e.message.empty()) e.message = "The server sent an error event in the middle of the stream.";
    fail(std::move(e), out);
    return;
  }
  if (parsed.is_discarded()) {
    fail(make_error(ErrorKind::kInvalidResponse, "malformed_chunk",
                    "The server sent a stream chunk that is not valid JSON: " +
                        utf8_prefix(ev.data, 120)),
         out);
    return;
  }
  Error e = acc_.add_chunk(parsed);
  if (!e.ok()) {
    fail(std::move(e), out);
    return;
  }
  out.chunks.push_back(std::move(ev.data));
}

void ChatStreamDecoder::fail(Error err, StreamBatch& out) {
  failed_ = true;
  out.error = std::move(err);
}

}  // namespace llmbase
