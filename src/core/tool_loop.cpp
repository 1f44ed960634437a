// The tool runner's state machine (tool_loop.h): validates tool calls, builds the conversation, bounds the loop.
#include "tool_loop.h"

#include "detail/text.h"
#include "json_schema.h"
#include "json_text.h"
#include "model_metadata.h"

using nlohmann::json;

namespace llmbase {

namespace {

constexpr std::size_t kMaxListedViolations =
    5;  // enough for the model to fix, short for its context
constexpr std::size_t kMaxEchoedArguments = 200;

// Reads an optional integer option >= min into `out`; the error names the field and the fix.
bool read_count(const json& options, const char* key, int min, int& out, std::string& error) {
  auto it = options.find(key);
  if (it == options.end() || it->is_null()) return true;
  const auto whole = detail::whole_number(*it);
  if (!whole || *whole < min || *whole > 1000000) {
    error = std::string("`") + key + "` must be an integer >= " + std::to_string(min) + ", got " +
            detail::dump_json(*it) + ".";
    return false;
  }
  out = static_cast<int>(*whole);
  return true;
}

bool forced(const json& choice) {
  return choice.is_object() || (choice.is_string() && choice == "required");
}

const json* member(const json& obj, const char* key) {
  if (!obj.is_object()) return nullptr;
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

}  // namespace

ToolLoop::ToolLoop(const json& params, const json& options) { init(params, options); }

void ToolLoop::init(const json& params, const json& options) {
  std::string error;
  if (!options.is_null() && !options.is_discarded() && !options.is_object()) {
    error = "the options must be an object such as {\"maxChatCompletions\": 10}.";
  }
  const bool counts_ok =
      !options.is_object() ||
      (read_count(options, "maxChatCompletions", 1, max_chat_completions_, error) &&
       read_count(options, "maxRepairs", 0, max_repairs_, error));
  if (!counts_ok || !error.empty()) return fail(tool_loop_code::kInvalidParams, error);
  if (!params.is_object()) {
    return fail(tool_loop_code::kInvalidParams, "the params must be a chat request object.");
  }
  params_ = params;
  const json* messages = member(params, "messages");
  if (!messages || !messages->is_array() || messages->empty()) {
    return fail(tool_loop_code::kInvalidParams,
                "'messages' must be a non-empty array of messages.");
  }
  messages_ = *messages;
  const json* tools = member(params, "tools");
  if (!tools || !tools->is_array() || tools->empty()) {
    return fail(
        tool_loop_code::kInvalidParams,
        "'tools' must be a non-empty array of {\"type\":\"function\",\"function\":{…}} tools.");
  }
  for (std::size_t i = 0; i < tools->size(); ++i) {
    const json* fn = member((*tools)[i], "function");
    const std::string name = fn ? detail::string_or_empty(*fn, "name") : std::string();
    const std::string path = "tools[" + std::to_string(i) + "].function";
    if (name.empty()) {
      return fail(tool_loop_code::kInvalidParams,
                  "'" + path + ".name' is required: the tool's name.");
    }
    const json* schema = member(*fn, "parameters");
    if (schema && !schema->is_null()) {
      const auto findings = check_json_schema(*schema);
      if (!findings.empty()) {
        const SchemaFinding& f = findings.front();
        return fail(tool_loop_code::kInvalidParams, "'" + path + ".parameters" + f.path.substr(1) +
                                                        "' (" + f.code + "): " + f.message);
      }
    }
    schemas_[name] = schema ? *schema : json();
  }
}

void ToolLoop::fail(const char* code, std::string message) {
  state_ = State::kError;
  error_code_ = code;
  error_message_ = std::move(message);
}

json ToolLoop::next_request() {
  if (state_ != State::kReady) return json();
  json request = params_;
  request["messages"] = messages_;
  auto choice = request.find("tool_choice");
  if (completions_ > 0 && choice != request.end() && forced(*choice)) *choice = "auto";
  requested_ = true;
  return request;
}

void ToolLoop::check_call(Call& call) const {
  auto tool = schemas_.find(call.name);
  if (tool == schemas_.end()) {
    std::string names;
    for (const auto& [name, schema] : schemas_.items()) names += (names.empty() ? "" : ", ") + name;
    call.error = "there is no tool named " + detail::dump_json(json(call.name)) +
                 "; the tools are: " + names + ".";
    return;
  }
  call.parsed = detail::is_blank(call.arguments) ? json::object() : parse_json_text(call.arguments);
  if (call.parsed.is_discarded()) {
    call.error =
        "the arguments are not valid JSON: " + call.arguments.substr(0, kMaxEchoedArguments) +
        (call.arguments.size() > kMaxEchoedArguments ? "…" : "") + ".";
    call.parsed = json();
    return;
  }
  const auto violations = tool->is_null()
                              ? std::vector<SchemaViolation>()
                              : validate_json_schema(*tool, call.parsed, kMaxListedViolations);
  if (violations.empty()) {
    call.valid = true;
    return;
  }
  call.error = "the arguments do not match the tool's parameters schema: ";
  for (std::size_t i = 0; i < violations.size(); ++i) {
    call.error += (i ? "; " : "") + violation_text(violations[i]);
  }
  call.error += ".";
  call.parsed = json();
}

ToolLoop::State ToolLoop::on_completion(const json& completion) {
  if (state_ != State::kReady || !requested_) {
    if (state_ != State::kError) {
      fail(tool_loop_code::kInvalidParams,
           "on_completion() must follow next_request(): the loop is not waiting for a completion.");
    }
    return state_;
  }
  requested_ = false;
  ++completions_;
  const json* choices = member(completion, "choices");
  const json* message = choices && choices->is_array() && !choices->empty()
                            ? member((*choices)[0], "message")
                            : nullptr;
  if (!message || !message->is_object()) {
    fail(tool_loop_code::kInvalidCompletion,
         "the completion has no choices[0].message to continue the conversation from.");
    return state_;
  }
  const json* tool_calls = member(*message, "tool_calls");
  const bool calls_tools = tool_calls && tool_calls->is_array() && !tool_calls->empty();
  const json* content = member(*message, "content");
  json assistant = {{"role", "assistant"}, {"content", content ? *content : json()}};
  if (!calls_tools) {
    messages_.push_back(std::move(assistant));
    state_ = State::kDone;
    return state_;
  }
  if (completions_ >= max_chat_completions_) {
    fail(
        tool_loop_code::kMaxChatCompletions,
        "the model still calls tools after " + std::to_string(completions_) +
            " chat completions (maxChatCompletions): raise maxChatCompletions or change the prompt.");
    return state_;
  }
  calls_.clear();
  json wire_calls = json::array();
  for (std::size_t i = 0; i < tool_calls->size(); ++i) {
    const json& tc = (*tool_calls)[i];
    const json* fn = member(tc, "function");
    Call call;
    call.id = detail::string_or_empty(tc, "id");
    // A call without an id cannot be answered: give it one the next request carries too.
    if (call.id.empty()) call.id = "call_" + std::to_string(completions_) + "_" + std::to_string(i);
    call.name = fn ? detail::string_or_empty(*fn, "name") : std::string();
    if (const json* args = fn ? member(*fn, "arguments") : nullptr) {
      call.arguments = args->is_string() ? args->get<std::string>() : detail::dump_json(*args);
    }
    check_call(call);
    if (!call.valid) {
      call.answered = call.failed = true;
      call.result = "Error: invalid arguments for tool " + detail::dump_json(json(call.name)) +
                    ": " + call.error +
                    " Call the tool again with arguments that match its schema.";
    }
    wire_calls.push_back({{"id", call.id},
                          {"type", "function"},
                          {"function", {{"name", call.name}, {"arguments", call.arguments}}}});
    calls_.push_back(std::move(call));
  }
  assistant["tool_calls"] = std::move(wire_calls);
  messages_.push_back(std::move(assistant));
  state_ = State::kAwaitingResults;
  finish_round_if_answered();
  return state_;
}

bool ToolLoop::answer(const std::string& id, std::string content, bool failed) {
  if (state_ != State::kAwaitingResults) return false;
  for (Call& call : calls_) {
    if (call.id != id) continue;
    if (call.answered) return false;
    call.answered = true;
    call.failed = failed;
    call.result = std::move(content);
    finish_round_if_answered();
    return true;
  }
  return false;
}

bool ToolLoop::add_tool_result(const std::string& id, const std::string& content) {
  return answer(id, content, false);
}

bool ToolLoop::add_tool_error(const std::string& id, const std::string& message) {
  return answer(id, "Error: " + message, true);
}

void ToolLoop::finish_round_if_answered() {
  bool any_failed = false;
  std::string last_error;
  for (const Call& call : calls_) {
    if (!call.answered) return;
    if (call.failed) any_failed = true, last_error = call.result;
  }
  if (any_failed && ++repairs_ > max_repairs_) {
    return fail(tool_loop_code::kMaxRepairs,
                "tool calls failed in " + std::to_string(repairs_) + " rounds (maxRepairs " +
                    std::to_string(max_repairs_) + "); the last: " + last_error);
  }
  for (const Call& call : calls_) {
    messages_.push_back({{"role", "tool"}, {"tool_call_id", call.id}, {"content", call.result}});
  }
  state_ = State::kReady;
}

std::string ToolLoop::status() const {
  detail::OrderedObjectText out;
  switch (state_) {
    case State::
        kReady:  // a round the loop answered itself (every call invalid) still shows its calls
      if (calls_.empty()) return out.add("kind", "ready").str();
      break;
    case State::kDone: return out.add("kind", "done").str();
    case State::kError:
      return out.add("kind", "error")
          .add_text("error", detail::OrderedObjectText()
                                 .add("code", error_code_)
                                 .add("message", error_message_)
                                 .str())
          .str();
    case State::kAwaitingResults: break;
  }
  std::string calls = "[";
  for (const Call& call : calls_) {
    detail::OrderedObjectText c;
    c.add("id", call.id).add("name", call.name).add("arguments", call.arguments);
    c.add("valid", call.valid).add("error", call.error);
    if (call.valid) c.add("parsed", call.parsed);
    calls += (calls.size() > 1 ? "," : "") + c.str();
  }
  return out.add("kind", "call_tools").add_text("calls", calls + "]").str();
}

}  // namespace llmbase
