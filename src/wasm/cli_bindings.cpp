// Embind surface of the CLI text (src/core/cli_format), linked into the Node module only: browsers never print a CLI table.
#include <emscripten/bind.h>

#include <string>

#include <nlohmann/json.hpp>

#include "core/cli_format.h"
#include "core/error.h"
#include "core/json_text.h"
#include "core/request_validator.h"
#include "wasm/call_bindings.h"

using nlohmann::json;
using namespace llmbase;
using llmbase::wasm::dump_json;
using llmbase::wasm::error_to_json;

namespace {

// The CLI's text, from the core, so the Node and the native CLI print the same bytes.
Error error_from_record(const json& record) {
  Error e;
  auto str = [&record](const char* key) { return detail::string_or_empty(record, key); };
  e.kind = error_kind_from_name(str("kind"));
  auto status = record.find("status");
  if (status != record.end() && status->is_number_integer()) e.status = status->get<int>();
  e.code = str("code");
  e.param = str("param");
  e.message = str("message");
  return e;
}
std::string cli_error_line(const std::string& record_json) {
  json record = parse_json_text(record_json);
  return format_cli_error(error_from_record(record.is_object() ? record : json::object()));
}
int cli_exit_code(const std::string& kind) { return exit_code_for(error_kind_from_name(kind)); }
std::string cli_validation_error(const std::string& findings_json) {
  return dump_json(error_to_json(validation_error(parse_json_text(findings_json))));
}
std::string cli_text(const std::string& format, const std::string& value_json) {
  json value = parse_json_text(value_json);
  if (format == "models") return format_models(value);
  if (format == "metadata") return format_metadata(value);
  if (format == "balance") return format_balance(value);
  return format_json(value);
}

}  // namespace

EMSCRIPTEN_BINDINGS(llmbase_cli) {
  emscripten::function("cliErrorLine", &cli_error_line);
  emscripten::function("cliExitCode", &cli_exit_code);
  emscripten::function("cliValidationError", &cli_validation_error);
  emscripten::function("cliText", &cli_text);
  emscripten::function("cliHelp", &cli_help);
}
