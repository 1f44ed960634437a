// Chunk accumulation (the general DOM path and the completion) and the chat stream decoder (SSE → chunks).
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

std::string dump_value(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

// A value kept as JSON text, back as a value (null when it was never set).
json parsed_or(const std::string& text, bool set, json fallback) {
  if (!set) return fallback;
  json value = parse_json_text(text);
  return value.is_discarded() ? fallback : value;
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

Error ChatStreamAccumulator::over_cap() const {
  if (max_reply_bytes_ == 0 || reply_bytes_ <= max_reply_bytes_) return {};
  return make_error(ErrorKind::kReplyTooLarge, "reply_too_large",
                    "The reply passed the cap of " + std::to_string(max_reply_bytes_) +
                        " bytes of accumulated text (maxReplyBytes); the stream was stopped and "
                        "the partial reply is on the error. Raise the cap or ask for less "
                        "(max_tokens).");
}

void ChatStreamAccumulator::drop_content() {
  content_dropped_ = true;
  for (auto& entry : choices_) {
    reply_bytes_ -= entry.second.content.size();
    entry.second.content.clear();
  }
}

Error ChatStreamAccumulator::add_chunk_text(std::string_view text) {
  if (fold_fast(text)) return over_cap();
  // The general path: any shape, decided by the DOM parser.
  json parsed = parse_json_text(text);
  if (parsed.is_discarded()) {
    return make_error(ErrorKind::kInvalidResponse, "malformed_chunk",
                      "The server sent a stream chunk that is not valid JSON: " +
                          utf8_prefix(std::string(text), 120));
  }
  return add_chunk(parsed);
}

std::size_t ChatStreamAccumulator::append_items(std::string& items, std::string_view more) {
  if (more.empty()) return 0;
  const std::size_t before = items.size();
  if (!items.empty()) items += ',';
  items.append(more.data(), more.size());
  return items.size() - before;
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
  auto keep_first = [&chunk](RawValue& slot, const char* key) {
    auto it = chunk.find(key);
    if (!slot.set && it != chunk.end() && !it->is_null()) slot.keep_first(dump_value(*it));
  };
  keep_first(id_, "id");
  keep_first(created_, "created");
  keep_first(model_, "model");
  keep_first(system_fingerprint_, "system_fingerprint");
  keep_first(service_tier_, "service_tier");
  // LLMBase puts usage on the last content chunk, OpenAI on a trailing `choices: []` chunk;
  // either way the last usage object seen wins.
  auto usage = chunk.find("usage");
  if (usage != chunk.end() && usage->is_object()) usage_.replace(dump_value(*usage));
  auto choices = chunk.find("choices");
  if (choices != chunk.end() && choices->is_array()) {
    long long position = 0;
    for (const auto& choice : *choices) {
      if (choice.is_object()) add_choice(choice, position);
      ++position;
    }
  }
  return over_cap();
}

void ChatStreamAccumulator::add_choice(const json& choice_json, long long position) {
  Choice& c = choices_[index_of(choice_json, position)];
  auto delta_it = choice_json.find("delta");
  if (delta_it != choice_json.end() && delta_it->is_object()) {
    const json& delta = *delta_it;
    if (auto* s = string_member(delta, "role")) c.role = *s;
    // Each accumulated text counts towards the reply cap (ReplyLimits).
    auto grow = [this](std::string& to, const std::string& more, bool& has) {
      to += more;
      reply_bytes_ += more.size();
      has = true;
    };
    if (auto* s = string_member(delta, "content")) grow(c.content, *s, c.has_content);
    if (auto* s = string_member(delta, "refusal")) grow(c.refusal, *s, c.has_refusal);
    if (auto* s = string_member(delta, "reasoning_content")) {
      grow(c.reasoning_content, *s, c.has_reasoning_content);
    }
    if (auto* s = string_member(delta, "reasoning")) grow(c.reasoning, *s, c.has_reasoning);
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
          if (auto* s = string_member(*fn, "arguments")) {
            t.arguments += *s;
            reply_bytes_ += s->size();
          }
        }
      }
    }
  }
  auto logprobs = choice_json.find("logprobs");
  if (logprobs != choice_json.end() && logprobs->is_object()) {
    c.logprobs_object = true;
    auto append = [this, &logprobs](const char* key, bool& has, std::string& items) {
      auto it = logprobs->find(key);
      if (it == logprobs->end() || !it->is_array()) return;
      has = true;
      for (const auto& item : *it) reply_bytes_ += append_items(items, dump_value(item));
    };
    append("content", c.logprobs_content, c.logprobs_content_items);
    append("refusal", c.logprobs_refusal, c.logprobs_refusal_items);
  }
  auto finish = choice_json.find("finish_reason");
  if (finish != choice_json.end() && finish->is_string()) {
    if (!c.has_finish_reason) ++finish_reasons_;
    c.has_finish_reason = true;
    c.finish_reason = finish->get<std::string>();
  }
}

json ChatStreamAccumulator::completion() const {
  json out = json::object();
  out["id"] = parsed_or(id_.text, id_.set, "");
  out["object"] = "chat.completion";
  out["created"] = parsed_or(created_.text, created_.set, 0);
  out["model"] = parsed_or(model_.text, model_.set, "");
  json choices = json::array();
  for (const auto& [index, c] : choices_) {
    json message = json::object();
    message["role"] = c.role;
    // Content dropped as it was handed out (ReplyLimits::keep_content) is not the reply: null.
    message["content"] = c.has_content && !content_dropped_ ? json(c.content) : json(nullptr);
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
    json logprobs = nullptr;
    if (c.logprobs_object) {
      logprobs = json::object();
      if (c.logprobs_content) {
        logprobs["content"] = parsed_or("[" + c.logprobs_content_items + "]", true, json::array());
      }
      if (c.logprobs_refusal) {
        logprobs["refusal"] = parsed_or("[" + c.logprobs_refusal_items + "]", true, json::array());
      }
    }
    choices.push_back({{"index", index},
                       {"message", std::move(message)},
                       {"logprobs", std::move(logprobs)},
                       {"finish_reason", c.has_finish_reason ? json(c.finish_reason) : json()}});
  }
  out["choices"] = std::move(choices);
  if (usage_.set) out["usage"] = parsed_or(usage_.text, true, nullptr);
  if (system_fingerprint_.set) {
    out["system_fingerprint"] = parsed_or(system_fingerprint_.text, true, nullptr);
  }
  if (service_tier_.set) out["service_tier"] = parsed_or(service_tier_.text, true, nullptr);
  return out;
}

ChatStreamDecoder::ChatStreamDecoder(std::size_t max_event_bytes, ReplyLimits limits)
    : sse_(max_event_bytes), keep_content_(limits.keep_content) {
  acc_.set_max_reply_bytes(limits.max_bytes);
}

void ChatStreamDecoder::feed(std::string_view bytes, StreamBatch& out) {
  if (ended()) return;
  if (!keep_content_) acc_.drop_content();  // the caller has taken the previous read's content
  batch_ = &out;
  Error err = sse_.feed(bytes, *this);
  batch_ = nullptr;
  // Events completed before an oversized one are still delivered, in order.
  if (!ended() && !err.ok()) fail(std::move(err), out);
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

bool ChatStreamDecoder::on_event(std::string_view type, std::string_view data, std::string_view) {
  StreamBatch& out = *batch_;
  if (data == "[DONE]") {
    done_ = true;
    out.done = true;
    return false;
  }
  if (type == "error") {
    json parsed = parse_json_text(data);
    Error e = error_from_envelope(parsed.is_discarded() ? json(std::string(data)) : parsed,
                                  ErrorKind::kStreamError, 0);
    if (e.message.empty())
      e.message = "The server sent an error event in the middle of the stream.";
    fail(std::move(e), out);
    return false;
  }
  Error e = acc_.add_chunk_text(data);
  if (!e.ok()) {
    fail(std::move(e), out);
    return false;
  }
  out.chunks.push_back(data);
  return true;
}

void ChatStreamDecoder::fail(Error err, StreamBatch& out) {
  failed_ = true;
  out.error = std::move(err);
}

}  // namespace llmbase
