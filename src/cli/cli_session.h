// The `llmbase` CLI front end, sans-IO: parses argv, decides every step of a command and every byte it prints; the shells only do the I/O it asks for.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace llmbase::cli {

// What the client of a command is built with; unset fields keep the client's own defaults
// (and the environment's: LLMBASE_API_KEY, LLMBASE_BASE_URL).
struct ClientConfig {
  std::string base_url;                                      // empty: the client's default
  long long timeout_ms = 0;                                  // 0: default
  long long idle_timeout_ms = 0;                             // 0: default
  int max_retries = -1;                                      // -1: default
  std::vector<std::pair<std::string, std::string>> headers;  // in order; a later name wins
};

// The next thing the shell must do, then report back (see CliSession).
struct Action {
  enum class Type {
    kFinish,     // write `out` to stdout and `err` to stderr, exit with `exit_code`
    kReadInput,  // read `path` whole ("-" = stdin) → on_input()
    kFetch,      // GET `endpoint` ("models", "metadata", "balance") → on_result() or on_error()
    kChat,       // stream `request`; with `print_text`, write each content delta of choice 0
                 // to stdout as it arrives; keep content only if `keep_content`
                 // → on_chat_end() or on_error()
    kServe,      // start the Node-only `serve` command as `serve` describes (Node shell only)
  };
  Type type = Type::kFinish;
  std::string out, err;
  int exit_code = 0;
  std::string path;
  std::string endpoint;
  nlohmann::json request;
  bool keep_content = false;
  bool print_text = false;
  nlohmann::json serve;  // the checked options, defaults applied (see ServeParse::instruction)
};

// One run of the CLI. Call next() for the first action, perform it, report its outcome through
// the matching on_*() call, and call next() again, until an action of type kFinish.
class CliSession {
 public:
  // `args`: argv without the program name. `env_model`: LLMBASE_MODEL (may be empty).
  // `can_serve`: true in the Node shell, which runs `serve`.
  CliSession(std::vector<std::string> args, std::string env_model, bool can_serve);

  Action next();
  const ClientConfig& client_config() const { return config_; }

  void on_input(bool ok, std::string text);
  void on_result(const nlohmann::json& value);
  // The action failed; `printed`: the chat stream had already written text to stdout.
  void on_error(const Error& error, bool printed = false);
  // The Node client's refusal: findings of a request refused before sending.
  void on_refused(const nlohmann::json& findings);
  // The stream ended well; `printed`: some text went to stdout. `completion`: the whole
  // chat.completion (used with --json).
  void on_chat_end(bool printed, const nlohmann::json& completion);
  // stdout's reader went away (a closed pipe): the run ends quietly with 141.
  void on_output_closed();

 private:
  enum class Step {
    kStart,
    kAwaitPrompt,
    kAwaitRequestFile,
    kAwaitMetadataFile,
    kAwaitFetch,
    kAwaitChat,
    kDone
  };
  Action start();
  Action start_serve(std::size_t first_option);
  Action after_prompt();
  Action validate_now(const std::string& metadata_text);
  Action finish(std::string out, std::string err, int code);
  Action usage(const std::string& message);
  Action failed(const Error& error);
  bool flag(const char* name) const;
  const std::string* value(const char* name) const;

  std::vector<std::string> args_;
  std::string env_model_;
  bool can_serve_;
  Step step_ = Step::kStart;
  // Parsed command line.
  std::string command_;
  std::vector<std::pair<std::string, std::string>> values_;  // --name VALUE, last one wins
  std::vector<std::string> flags_;
  std::vector<std::string> allow_;
  std::vector<std::string> positional_;
  ClientConfig config_;
  // Outcome of the last action.
  Action pending_;  // what next() returns once an on_*() call has decided it
  std::string request_text_;
};

}  // namespace llmbase::cli
