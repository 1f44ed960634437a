// The native `llmbase` CLI: chat, models, metadata, balance, validate — same flags, output and exit codes as the Node CLI.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cli_format.h"
#include "core/json_text.h"
#include "core/request_validator.h"
#include "llmbase/client.h"

using nlohmann::json;

namespace {

std::atomic<bool> g_interrupted{false};

void on_sigint(int) { g_interrupted.store(true); }

struct Args {
  std::string command;
  std::map<std::string, std::string> values;  // --name VALUE
  std::map<std::string, bool> flags;          // --name
  std::vector<std::string> allow;             // --allow, repeatable
  std::vector<std::string> headers;           // --header "Name: value", repeatable
  std::vector<std::string> positional;
};

bool is_flag(const std::string& name) { return name == "json" || name == "help"; }

bool takes_value(const std::string& name) {
  static const char* const kNames[] = {"model", "system", "max-tokens", "base-url", "timeout",
                                       "idle-timeout", "max-retries", "metadata", "allow",
                                       "header"};
  for (const char* n : kNames) {
    if (name == n) return true;
  }
  return false;
}

int usage_error(const std::string& message) {
  llmbase::Error e = llmbase::make_error(llmbase::ErrorKind::kInvalidArgument, "usage", message);
  std::cerr << llmbase::format_cli_error(e) << "\n";
  return llmbase::exit_code::kUsage;
}

// Parses `argv` into args; returns a non-empty message on a usage error.
std::string parse(int argc, char** argv, Args& args) {
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0 && arg.size() > 2) {
      std::string name = arg.substr(2), value;
      const auto eq = name.find('=');
      const bool inline_value = eq != std::string::npos;
      if (inline_value) {
        value = name.substr(eq + 1);
        name = name.substr(0, eq);
      }
      if (is_flag(name) && !inline_value) {
        args.flags[name] = true;
      } else if (takes_value(name)) {
        if (!inline_value) {
          if (i + 1 >= argc) return "--" + name + " needs a value";
          value = argv[++i];
        }
        if (name == "allow") args.allow.push_back(value);
        else if (name == "header") args.headers.push_back(value);
        else args.values[name] = value;
      } else {
        return "unknown option --" + name;
      }
    } else if (args.command.empty()) {
      args.command = arg;
    } else {
      args.positional.push_back(arg);
    }
  }
  return {};
}

bool read_input(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return true;
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return true;
}

bool parse_ms(const Args& args, const char* name, std::chrono::milliseconds& out) {
  auto it = args.values.find(name);
  if (it == args.values.end()) return true;
  char* end = nullptr;
  const long long v = std::strtoll(it->second.c_str(), &end, 10);
  if (!end || *end || v <= 0) return false;
  out = std::chrono::milliseconds(v);
  return true;
}

int fail(const llmbase::Error& error) {
  std::cerr << llmbase::format_cli_error(error) << "\n";
  return llmbase::exit_code_for(error.kind);
}

int run_chat(llmbase::Client& client, const Args& args, const llmbase::RequestOptions& options) {
  std::string prompt;
  if (args.positional.empty() || (args.positional.size() == 1 && args.positional[0] == "-")) {
    read_input("-", prompt);
  } else {
    for (const auto& word : args.positional) prompt += (prompt.empty() ? "" : " ") + word;
  }
  while (!prompt.empty() && (prompt.back() == '\n' || prompt.back() == '\r')) prompt.pop_back();
  if (prompt.empty()) return usage_error("no prompt: pass it as arguments or on stdin");
  const char* env_model = std::getenv("LLMBASE_MODEL");
  const std::string model = args.values.count("model")
                                ? args.values.at("model")
                                : (env_model && *env_model ? env_model : "deepseek/deepseek-v4-flash");
  json messages = json::array();
  if (args.values.count("system")) {
    messages.push_back({{"role", "system"}, {"content", args.values.at("system")}});
  }
  messages.push_back({{"role", "user"}, {"content", prompt}});
  json request = {{"model", model}, {"messages", messages}};
  if (args.values.count("max-tokens")) {
    char* end = nullptr;
    const long long n = std::strtoll(args.values.at("max-tokens").c_str(), &end, 10);
    if (!end || *end || n <= 0) return usage_error("--max-tokens takes a positive integer");
    request["max_tokens"] = n;
  }
  const bool as_json = args.flags.count("json") > 0;
  bool printed = false;
  // Printing needs no DOM per chunk: the core hands out each read's new content, and keeps none
  // of it unless --json prints the completion, so memory stays flat however long the reply.
  llmbase::RequestOptions stream_options = options;
  stream_options.keep_content = as_json;
  auto result = client.stream_chat_text(
      request,
      [&](std::string_view text) {
        if (as_json) return true;
        // One write per network read, not per chunk; a closed stdout ends the call (SIGPIPE
        // exits 141 before this returns, unless the signal is ignored: then stop).
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
            std::fflush(stdout) != 0) {
          return false;
        }
        printed = true;
        return true;
      },
      stream_options);
  // The reply ends with a newline; an error before any text prints nothing on stdout.
  if (printed) std::cout << "\n" << std::flush;
  if (!result.ok()) return fail(result.error);
  if (as_json) std::cout << llmbase::format_json(result.value) << std::flush;
  return llmbase::exit_code::kOk;
}

int run_validate(llmbase::Client& client, const Args& args, const llmbase::RequestOptions& options) {
  if (args.positional.size() != 1) return usage_error("validate takes one REQUEST.json (or '-')");
  std::string request_text;
  if (!read_input(args.positional[0], request_text)) {
    return usage_error("cannot read " + args.positional[0]);
  }
  std::string metadata_text;
  if (args.values.count("metadata")) {
    if (!read_input(args.values.at("metadata"), metadata_text)) {
      return usage_error("cannot read " + args.values.at("metadata"));
    }
  } else {
    auto metadata = client.model_metadata(false, options);
    if (!metadata.ok()) return fail(metadata.error);
    metadata_text = metadata.value.dump(-1, ' ', false, json::error_handler_t::replace);
  }
  json allow = json::array();
  for (const auto& p : args.allow) allow.push_back(p);
  json result = json::parse(
      llmbase::validate_request_json(request_text, metadata_text,
                                     json{{"allow_params", allow}}.dump()),
      nullptr, false);
  std::cout << llmbase::format_json(result);
  const auto ok = result.find("ok");
  return ok != result.end() && ok->is_boolean() && ok->get<bool>() ? llmbase::exit_code::kOk
                                                                   : llmbase::exit_code::kValidation;
}

}  // namespace

int main(int argc, char** argv) {
  Args args;
  if (std::string problem = parse(argc, argv, args); !problem.empty()) return usage_error(problem);
  if (args.command.empty() || args.command == "help") {
    std::cout << llmbase::cli_help("");
    return args.command.empty() && !args.flags.count("help") ? llmbase::exit_code::kUsage
                                                              : llmbase::exit_code::kOk;
  }
  const std::string help = llmbase::cli_help(args.command);
  if (help.empty()) return usage_error("unknown command " + args.command + " (see llmbase --help)");
  if (args.flags.count("help")) {
    std::cout << help;
    return llmbase::exit_code::kOk;
  }

  llmbase::ClientOptions client_options = llmbase::ClientOptions::from_env();
  if (args.values.count("base-url")) client_options.base_url = args.values.at("base-url");
  if (!parse_ms(args, "timeout", client_options.timeout) ||
      !parse_ms(args, "idle-timeout", client_options.idle_timeout)) {
    return usage_error("--timeout and --idle-timeout take a positive number of milliseconds");
  }
  if (args.values.count("max-retries")) {
    char* end = nullptr;
    const long n = std::strtol(args.values.at("max-retries").c_str(), &end, 10);
    if (!end || *end || n < 0) return usage_error("--max-retries takes a non-negative integer");
    client_options.max_retries = static_cast<int>(n);
  }
  for (const auto& header : args.headers) {
    const auto colon = header.find(':');
    if (colon == std::string::npos || colon == 0) {
      // Not echoed: a mistyped header is often a key ("Bearer llmbase_…" without the name).
      return usage_error(
          "--header takes \"Name: value\"; one has no name (not shown: it may be a key)");
    }
    std::string value = header.substr(colon + 1);
    while (!value.empty() && value.front() == ' ') value.erase(0, 1);
    client_options.default_headers[header.substr(0, colon)] = value;
  }
  std::signal(SIGINT, on_sigint);
  llmbase::Client client(client_options);
  llmbase::RequestOptions options;
  options.cancel = &g_interrupted;
  const bool as_json = args.flags.count("json") > 0;

  if (args.command == "chat") return run_chat(client, args, options);
  if (args.command == "validate") return run_validate(client, args, options);
  llmbase::Result<json> result;
  if (args.command == "models") result = client.list_models(options);
  else if (args.command == "metadata") result = client.model_metadata(false, options);
  else result = client.balance(options);
  if (!result.ok()) return fail(result.error);
  if (as_json) std::cout << llmbase::format_json(result.value);
  else if (args.command == "models") std::cout << llmbase::format_models(result.value);
  else if (args.command == "metadata") std::cout << llmbase::format_metadata(result.value);
  else std::cout << llmbase::format_balance(result.value);
  return llmbase::exit_code::kOk;
}
