// Embind surface of the CLI front end (src/cli) for the Node CLI's own wasm module: actions out and outcomes in, as JSON text.
#include <emscripten/bind.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/cli_session.h"
#include "core/error.h"
#include "core/json_text.h"

using nlohmann::json;

namespace {

std::string dump(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::vector<std::string> strings_of(const json& list) {
  std::vector<std::string> out;
  if (list.is_array()) {
    for (const auto& item : list) {
      if (item.is_string()) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

// One CLI run. The Node shell (src/js/cli-shell.mjs) loops: next() → do the I/O → report.
class CliRun {
 public:
  CliRun(const std::string& args_json, const std::string& env_model)
      : session_(strings_of(llmbase::parse_json_text(args_json)), env_model, /*can_serve=*/true) {}

  // {type: 'finish', out, err, exitCode} | {type: 'read', path} | {type: 'fetch', endpoint}
  // | {type: 'chat', request, keepContent, printText} | {type: 'serve', options} (options: the
  // checked serve options, defaults applied; see cli/serve_options.h)
  std::string next() {
    using Type = llmbase::cli::Action::Type;
    const llmbase::cli::Action a = session_.next();
    switch (a.type) {
      case Type::kFinish:
        return dump(
            {{"type", "finish"}, {"out", a.out}, {"err", a.err}, {"exitCode", a.exit_code}});
      case Type::kReadInput: return dump({{"type", "read"}, {"path", a.path}});
      case Type::kFetch: return dump({{"type", "fetch"}, {"endpoint", a.endpoint}});
      case Type::kChat:
        return dump({{"type", "chat"},
                     {"request", a.request},
                     {"keepContent", a.keep_content},
                     {"printText", a.print_text}});
      case Type::kServe: return dump({{"type", "serve"}, {"options", a.serve}});
    }
    return "{}";
  }

  // The LLMBase constructor's options for the parsed command line (unset ones left out).
  std::string client_options() const {
    const auto& c = session_.client_config();
    json out = json::object();
    if (!c.base_url.empty()) out["baseURL"] = c.base_url;
    if (c.timeout_ms > 0) out["timeout"] = c.timeout_ms;
    if (c.idle_timeout_ms > 0) out["idleTimeout"] = c.idle_timeout_ms;
    if (c.max_retries >= 0) out["maxRetries"] = c.max_retries;
    if (!c.headers.empty()) {
      json headers = json::object();
      for (const auto& [name, value] : c.headers) headers[name] = value;
      out["defaultHeaders"] = headers;
    }
    return dump(out);
  }

  void input(bool ok, const std::string& text) { session_.on_input(ok, text); }
  void result(const std::string& value_json) {
    session_.on_result(llmbase::parse_json_text(value_json));
  }
  // `record`: {kind, status, code, param, message}, or {findings} for a request the client
  // refused before sending.
  void error(const std::string& record_json, bool printed) {
    const json record = llmbase::parse_json_text(record_json);
    if (!record.is_object()) return session_.on_error(llmbase::Error{}, printed);  // → API error
    const auto findings = record.find("findings");
    if (findings != record.end()) return session_.on_refused(*findings);
    auto str = [&record](const char* key) { return llmbase::detail::string_or_empty(record, key); };
    llmbase::Error e;
    e.kind = llmbase::error_kind_from_name(str("kind"));
    const auto status = record.find("status");
    if (status != record.end() && status->is_number_integer()) e.status = status->get<int>();
    e.code = str("code");
    e.param = str("param");
    e.message = str("message");
    session_.on_error(e, printed);
  }
  void chat_end(bool printed, const std::string& completion_json) {
    session_.on_chat_end(printed, llmbase::parse_json_text(completion_json));
  }
  void output_closed() { session_.on_output_closed(); }

 private:
  llmbase::cli::CliSession session_;
};

}  // namespace

EMSCRIPTEN_BINDINGS(llmbase_cli) {
  emscripten::class_<CliRun>("CliRun")
      .constructor<std::string, std::string>()
      .function("next", &CliRun::next)
      .function("clientOptions", &CliRun::client_options)
      .function("input", &CliRun::input)
      .function("result", &CliRun::result)
      .function("error", &CliRun::error)
      .function("chatEnd", &CliRun::chat_end)
      .function("outputClosed", &CliRun::output_closed);
}
