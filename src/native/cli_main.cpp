// The native `llmbase` CLI: a shell around the front end (src/cli), doing its I/O with libcurl, files and stdio.
#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_format.h"
#include "cli/cli_session.h"
#include "llmbase/client.h"

using llmbase::cli::Action;
using nlohmann::json;

namespace {

std::atomic<bool> g_interrupted{false};

void on_sigint(int) { g_interrupted.store(true); }

bool read_input(const std::string& path, std::string& out) {
  if (path == "-") {
    out.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
    return !std::cin.bad();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

std::unique_ptr<llmbase::Client> make_client(const llmbase::cli::ClientConfig& config) {
  llmbase::ClientOptions options = llmbase::ClientOptions::from_env();
  if (!config.base_url.empty()) options.base_url = config.base_url;
  if (config.timeout_ms > 0) options.timeout = std::chrono::milliseconds(config.timeout_ms);
  if (config.idle_timeout_ms > 0) {
    options.idle_timeout = std::chrono::milliseconds(config.idle_timeout_ms);
  }
  if (config.max_retries >= 0) options.max_retries = config.max_retries;
  for (const auto& [name, value] : config.headers) options.default_headers[name] = value;
  return std::make_unique<llmbase::Client>(options);
}

// Streams the reply: one write per network read, nothing kept unless --json prints it.
void run_chat(llmbase::Client& client, llmbase::cli::CliSession& session, const Action& action,
              llmbase::RequestOptions options) {
  options.keep_content = action.keep_content;
  bool printed = false;
  bool closed = false;
  auto result = client.stream_chat_text(
      action.request,
      [&](std::string_view text) {
        if (!action.print_text) return true;
        // A closed stdout ends the call (SIGPIPE exits 141 before this returns, unless the
        // signal is ignored: then stop).
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
            std::fflush(stdout) != 0) {
          closed = true;
          return false;
        }
        printed = printed || !text.empty();
        return true;
      },
      options);
  if (closed) session.on_output_closed();
  else if (!result.ok()) session.on_error(result.error, printed);
  else session.on_chat_end(printed, result.value);
}

}  // namespace

int main(int argc, char** argv) {
  const char* env_model = std::getenv("LLMBASE_MODEL");
  llmbase::cli::CliSession session(std::vector<std::string>(argv + 1, argv + argc),
                                   env_model ? env_model : "", /*can_serve=*/false);
  std::unique_ptr<llmbase::Client> client;  // made on the first request, from the parsed options
  llmbase::RequestOptions options;
  options.cancel = &g_interrupted;
  std::signal(SIGINT, on_sigint);
  for (;;) {
    const Action action = session.next();
    if (action.type == Action::Type::kFinish) {
      std::fwrite(action.out.data(), 1, action.out.size(), stdout);
      std::fflush(stdout);
      std::fwrite(action.err.data(), 1, action.err.size(), stderr);
      return action.exit_code;
    }
    if (action.type == Action::Type::kReadInput) {
      std::string text;
      const bool ok = read_input(action.path, text);
      session.on_input(ok, std::move(text));
      continue;
    }
    if (action.type == Action::Type::kServe) {
      return llmbase::exit_code::kUsage;  // never asked: can_serve is false
    }
    if (!client) client = make_client(session.client_config());
    if (action.type == Action::Type::kChat) {
      run_chat(*client, session, action, options);
      continue;
    }
    llmbase::Result<json> result;
    if (action.endpoint == "models") result = client->list_models(options);
    else if (action.endpoint == "metadata") result = client->model_metadata(false, options);
    else result = client->balance(options);
    if (result.ok()) session.on_result(result.value);
    else session.on_error(result.error);
  }
}
