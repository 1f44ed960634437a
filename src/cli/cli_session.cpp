// The `llmbase` CLI front end: argv grammar, the chat/validate/list flows and their exit codes, for the native and the Node shell alike.
#include "cli/cli_session.h"

#include <algorithm>
#include <utility>

#include "cli/cli_format.h"
#include "cli/serve_options.h"
#include "core/request_validator.h"
#include "core/validation_error.h"

namespace llmbase::cli {
namespace {

const char* const kFlags[] = {"json", "help"};
const char* const kValueOptions[] = {"model",   "system",       "max-tokens",  "base-url",
                                     "timeout", "idle-timeout", "max-retries", "metadata",
                                     "allow",   "header"};
const char* const kDefaultModel = "deepseek/deepseek-v4-flash";
// A reader that went away (`llmbase chat … | head -c 300`): 128 + SIGPIPE, as a shell reports it.
constexpr int kExitOutputClosed = 141;

template <std::size_t N>
bool one_of(const std::string& name, const char* const (&names)[N]) {
  return std::any_of(std::begin(names), std::end(names), [&](const char* n) { return name == n; });
}

// Digits only (no sign, space or fraction): "--max-tokens 1e3" is a usage error in both shells.
bool whole_number(const std::string& text, long long& out) {
  if (text.empty() || text.size() > 15) return false;
  long long n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
    n = n * 10 + (c - '0');
  }
  out = n;
  return true;
}

}  // namespace

CliSession::CliSession(std::vector<std::string> args, std::string env_model, bool can_serve)
    : args_(std::move(args)), env_model_(std::move(env_model)), can_serve_(can_serve) {}

bool CliSession::flag(const char* name) const {
  return std::find(flags_.begin(), flags_.end(), name) != flags_.end();
}

const std::string* CliSession::value(const char* name) const {
  const std::string* found = nullptr;
  for (const auto& [key, text] : values_) {
    if (key == name) found = &text;
  }
  return found;
}

Action CliSession::finish(std::string out, std::string err, int code) {
  step_ = Step::kDone;
  Action a;
  a.type = Action::Type::kFinish;
  a.out = std::move(out);
  a.err = std::move(err);
  a.exit_code = code;
  return a;
}

Action CliSession::usage(const std::string& message) {
  return finish({},
                format_cli_error(make_error(ErrorKind::kInvalidArgument, "usage", message)) + "\n",
                exit_code::kUsage);
}

Action CliSession::failed(const Error& error) {
  return finish({}, format_cli_error(error) + "\n", exit_code_for(error.kind));
}

Action CliSession::next() {
  if (step_ == Step::kStart) pending_ = start();
  return pending_;
}

Action CliSession::start() {
  if (args_.empty()) return finish(cli_help(""), {}, exit_code::kUsage);
  if (args_[0] == "-h") return finish(cli_help(""), {}, exit_code::kOk);
  // --name VALUE, --name=VALUE, --flag; the first other word is the command, the rest positional.
  for (std::size_t i = 0; i < args_.size(); ++i) {
    const std::string& arg = args_[i];
    if (arg.size() > 2 && arg.compare(0, 2, "--") == 0) {
      std::string name = arg.substr(2), text;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        text = name.substr(eq + 1);
        name.resize(eq);
      }
      if (one_of(name, kFlags) && !inline_value) {
        flags_.push_back(name);
      } else if (one_of(name, kValueOptions)) {
        if (!inline_value) {
          if (i + 1 >= args_.size()) return usage("--" + name + " needs a value");
          text = args_[++i];
        }
        if (name == "allow") allow_.push_back(text);
        else if (name == "header") config_.headers.emplace_back(text, std::string());
        else values_.emplace_back(name, text);
      } else {
        return usage("unknown option --" + name);
      }
    } else if (command_.empty()) {
      command_ = arg;
      if (command_ == "serve") return start_serve(i + 1);
    } else {
      positional_.push_back(arg);
    }
  }
  if (command_.empty() || command_ == "help") {
    return finish(cli_help(""), {},
                  command_.empty() && !flag("help") ? exit_code::kUsage : exit_code::kOk);
  }
  const std::string help = cli_help(command_);
  if (help.empty()) {
    return usage("unknown command \"" + command_ + "\" (see llmbase --help)");
  }
  if (flag("help")) return finish(help, {}, exit_code::kOk);

  if (const std::string* url = value("base-url")) config_.base_url = *url;
  for (const char* name : {"timeout", "idle-timeout"}) {
    const std::string* text = value(name);
    long long ms = 0;
    if (!text) continue;
    if (!whole_number(*text, ms) || ms <= 0) {
      return usage("--timeout and --idle-timeout take a positive number of milliseconds");
    }
    (std::string(name) == "timeout" ? config_.timeout_ms : config_.idle_timeout_ms) = ms;
  }
  if (const std::string* text = value("max-retries")) {
    long long n = 0;
    if (!whole_number(*text, n) || n > 1000) {
      return usage("--max-retries takes a non-negative integer");
    }
    config_.max_retries = static_cast<int>(n);
  }
  for (auto& [name, header_value] : config_.headers) {
    const std::string header = name;
    const auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      // Not echoed: a mistyped header is often a key ("Bearer llmbase_…" without the name).
      return usage("--header takes \"Name: value\"; one has no name (not shown: it may be a key)");
    }
    name = header.substr(0, colon);
    header_value = header.substr(colon + 1);
    header_value.erase(0, header_value.find_first_not_of(' '));
  }

  Action a;
  if (command_ == "chat") {
    if (positional_.empty() || (positional_.size() == 1 && positional_[0] == "-")) {
      step_ = Step::kAwaitPrompt;
      a.type = Action::Type::kReadInput;
      a.path = "-";
      return a;
    }
    for (const auto& word : positional_) request_text_ += (request_text_.empty() ? "" : " ") + word;
    return after_prompt();
  }
  if (command_ == "validate") {
    if (positional_.size() != 1) return usage("validate takes one REQUEST.json (or '-')");
    step_ = Step::kAwaitRequestFile;
    a.type = Action::Type::kReadInput;
    a.path = positional_[0];
    return a;
  }
  step_ = Step::kAwaitFetch;
  a.type = Action::Type::kFetch;
  a.endpoint = command_;
  return a;
}

// serve's options are read and checked here in both CLIs, so its help and usage errors are the
// same bytes; only the Node shell, which has the local server and the proxy, then starts it.
Action CliSession::start_serve(std::size_t first_option) {
  const ServeParse parsed = parse_serve_options(std::vector<std::string>(
      args_.begin() + static_cast<std::ptrdiff_t>(first_option), args_.end()));
  if (parsed.outcome == ServeParse::Outcome::kHelp) return finish(serve_help(), {}, exit_code::kOk);
  if (parsed.outcome == ServeParse::Outcome::kUsageError) return usage(parsed.error);
  if (!can_serve_) {
    return finish(
        {},
        "llmbase: serve runs the local server and the key-safe proxy, which only the Node "
        "CLI has: run `npx llmbase serve` (see `npx llmbase serve --help`)\n",
        exit_code::kUsage);
  }
  Action a;
  a.type = Action::Type::kServe;
  a.serve = parsed.instruction;
  step_ = Step::kDone;
  return a;
}

Action CliSession::after_prompt() {
  std::string prompt = std::move(request_text_);
  request_text_.clear();
  while (!prompt.empty() && (prompt.back() == '\n' || prompt.back() == '\r')) prompt.pop_back();
  if (prompt.empty()) return usage("no prompt: pass it as arguments or on stdin");
  const std::string* model = value("model");
  nlohmann::json messages = nlohmann::json::array();
  if (const std::string* system = value("system")) {
    messages.push_back({{"role", "system"}, {"content", *system}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  Action a;
  a.type = Action::Type::kChat;
  a.request = {{"model", model ? *model : (env_model_.empty() ? kDefaultModel : env_model_)},
               {"messages", std::move(messages)},
               {"stream", true}};
  if (const std::string* text = value("max-tokens")) {
    long long n = 0;
    if (!whole_number(*text, n) || n <= 0) return usage("--max-tokens takes a positive integer");
    a.request["max_tokens"] = n;
  }
  // Printed text is not kept (unless --json prints the completion): memory stays flat.
  a.keep_content = flag("json");
  a.print_text = !a.keep_content;  // --json prints the completion at the end instead
  step_ = Step::kAwaitChat;
  return a;
}

Action CliSession::validate_now(const std::string& metadata_text) {
  const nlohmann::json options = {{"allow_params", allow_}};
  const nlohmann::json result = nlohmann::json::parse(
      validate_request_json(request_text_, metadata_text, options.dump()), nullptr, false);
  const auto ok = result.is_object() ? result.find("ok") : result.end();
  const bool passed = ok != result.end() && ok->is_boolean() && ok->get<bool>();
  return finish(format_json(result), {}, passed ? exit_code::kOk : exit_code::kValidation);
}

void CliSession::on_input(bool ok, std::string text) {
  if (step_ == Step::kAwaitPrompt) {
    request_text_ = ok ? std::move(text) : std::string();
    pending_ = after_prompt();
  } else if (step_ == Step::kAwaitRequestFile) {
    if (!ok) {
      pending_ = usage("cannot read " + positional_[0]);
      return;
    }
    request_text_ = std::move(text);
    Action a;
    if (const std::string* path = value("metadata")) {
      step_ = Step::kAwaitMetadataFile;
      a.type = Action::Type::kReadInput;
      a.path = *path;
    } else {
      // Without --metadata, the live metadata of the base URL.
      step_ = Step::kAwaitFetch;
      a.type = Action::Type::kFetch;
      a.endpoint = "metadata";
    }
    pending_ = a;
  } else if (step_ == Step::kAwaitMetadataFile) {
    pending_ = ok ? validate_now(text) : usage("cannot read " + *value("metadata"));
  }
}

void CliSession::on_result(const nlohmann::json& value) {
  if (step_ != Step::kAwaitFetch) return;
  if (command_ == "validate") {
    pending_ = validate_now(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  } else if (flag("json")) {
    pending_ = finish(format_json(value), {}, exit_code::kOk);
  } else if (command_ == "models") {
    pending_ = finish(format_models(value), {}, exit_code::kOk);
  } else if (command_ == "metadata") {
    pending_ = finish(format_metadata(value), {}, exit_code::kOk);
  } else {
    pending_ = finish(format_balance(value), {}, exit_code::kOk);
  }
}

void CliSession::on_error(const Error& error, bool printed) {
  if (step_ == Step::kDone) return;
  Error shown = error;
  // A failure the shell could not classify still fails: exit 1, never 0.
  if (shown.kind == ErrorKind::kNone) shown.kind = ErrorKind::kApiStatus;
  pending_ = failed(shown);
  // The reply ends with a newline; an error before any text prints nothing on stdout.
  if (printed) pending_.out = "\n";
}

void CliSession::on_refused(const nlohmann::json& findings) {
  on_error(validation_error(findings));
}

void CliSession::on_chat_end(bool printed, const nlohmann::json& completion) {
  if (step_ != Step::kAwaitChat) return;
  pending_ = finish(printed ? "\n" : "", {}, exit_code::kOk);
  if (flag("json")) pending_.out += format_json(completion);
}

void CliSession::on_output_closed() {
  // Nothing more is written: the reader is gone and an error line would only be noise.
  pending_ = finish({}, {}, kExitOutputClosed);
}

}  // namespace llmbase::cli
