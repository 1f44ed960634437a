// The browsers' chat module has no JSON Schema validator: its pre-send schema rules refuse loudly, and it says which requests need the full core.
#include <emscripten/bind.h>

#include <string>

#include "core/json_text.h"
#include "core/request_checker.h"
#include "core/request_validator.h"

// Linked into the chat module ahead of the core library, these definitions stand in for
// request_schema_rules.cpp, so the linker never pulls that file (or json_schema*.cpp, about
// 9 KB gzipped) from the archive. The JS shell sends every request that
// request_carries_json_schema() flags to the full core, so these are reached only if that
// routing is broken, and then the request is refused, never sent unchecked.
namespace llmbase::detail {

void RequestChecker::check_json_schema(const nlohmann::json&) {
  error("response_format.json_schema", finding_code::kSchemaCheckUnavailable,
        "'response_format.json_schema' was not checked: this build of the core has no JSON Schema "
        "validator (load llmbase_core.wasm, the full core).");
}

void RequestChecker::check_schema(const std::string& path, const nlohmann::json&) {
  error(path, finding_code::kSchemaCheckUnavailable,
        "'" + path +
            "' was not checked: this build of the core has no JSON Schema validator "
            "(load llmbase_core.wasm, the full core).");
}

}  // namespace llmbase::detail

namespace {

// Request text → whether the full core must check it. Text that does not parse stays here: the
// chat module's validator reports it.
bool needs_full_core(const std::string& request_json) {
  const nlohmann::json request = llmbase::parse_json_text(request_json);
  return llmbase::request_carries_json_schema(request);
}

}  // namespace

EMSCRIPTEN_BINDINGS(llmbase_chat_module) {
  emscripten::function("needsFullCore", &needs_full_core);
}
