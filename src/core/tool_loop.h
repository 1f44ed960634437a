// The tool runner's state machine: chat params + completions in, the next request and tool calls out.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmbase {

// Stable codes of the loop's error (the JS ToolLoopError / the native kToolLoop error's code).
namespace tool_loop_code {
inline constexpr const char* kInvalidParams = "invalid_params";  // params/tools/options unusable
inline constexpr const char* kInvalidCompletion = "invalid_completion";  // no choices[0].message
inline constexpr const char* kMaxChatCompletions = "max_chat_completions";
inline constexpr const char* kMaxRepairs = "max_repairs";
}  // namespace tool_loop_code

// One run of runTools (JS) / Client::run_tools (native). The shell does the I/O:
//   ToolLoop loop(params, options)   params: chat params with messages and function tools;
//                                    options: {"maxChatCompletions":n>=1 (10),"maxRepairs":n>=0 (3)}
//   while (req = loop.next_request()) is not null:
//     send req; loop.on_completion(completion) →
//       kDone: finished; kError: stop (error_code(), error_message());
//       kAwaitingResults: run each calls()[i] with valid, then add_tool_result / add_tool_error.
// Every call's arguments are parsed and checked against its tool's `parameters` schema
// (json_schema.h) before the shell sees them; an invalid call is answered by the loop itself
// with what to fix. A round in which any result is an error counts as one repair; the round past
// maxRepairs ends the loop. A forced tool_choice ("required" or a function) applies to the first
// request only; later ones use "auto", so the model can finish.
class ToolLoop {
 public:
  enum class State { kReady, kAwaitingResults, kDone, kError };
  struct Call {
    std::string id, name, arguments;
    bool valid = false;     // arguments parsed and match the schema: the shell runs it
    std::string error;      // why not, when !valid
    nlohmann::json parsed;  // the parsed arguments, when valid
    bool answered = false, failed = false;
    std::string result;
  };

  ToolLoop(const nlohmann::json& params, const nlohmann::json& options);

  // The chat params to send next, or null outside kReady.
  nlohmann::json next_request();
  // Consumes the chat.completion answering the last request; returns the new state.
  State on_completion(const nlohmann::json& completion);
  // The result of call `id`. False for an unknown or already answered id, or outside
  // kAwaitingResults.
  bool add_tool_result(const std::string& id, const std::string& content);
  // The tool failed: the model gets "Error: <message>" as the result; the round is a repair.
  bool add_tool_error(const std::string& id, const std::string& message);

  State state() const { return state_; }
  const std::vector<Call>& calls() const { return calls_; }  // of the round awaiting results
  const std::string& error_code() const { return error_code_; }
  const std::string& error_message() const { return error_message_; }
  const nlohmann::json& messages() const { return messages_; }
  int chat_completions() const { return completions_; }
  // The calls stay listed (kind call_tools) until the next completion, also once answered.
  // {"kind":"ready"|"done"} | {"kind":"call_tools","calls":[{id,name,arguments,valid,error,parsed?}]}
  // | {"kind":"error","error":{"code","message"}}: the state as JSON text (the JS shell's view).
  std::string status() const;

 private:
  void init(const nlohmann::json& params, const nlohmann::json& options);
  void fail(const char* code, std::string message);
  void check_call(Call& call) const;
  bool answer(const std::string& id, std::string content, bool failed);
  void finish_round_if_answered();

  nlohmann::json params_;
  nlohmann::json messages_;
  nlohmann::json schemas_ = nlohmann::json::object();  // tool name → parameters (null: none)
  int max_chat_completions_ = 10;
  int max_repairs_ = 3;
  State state_ = State::kReady;
  std::string error_code_, error_message_;
  std::vector<Call> calls_;
  int completions_ = 0;
  int repairs_ = 0;
  bool requested_ = false;  // next_request() was called since the last completion
};

}  // namespace llmbase
