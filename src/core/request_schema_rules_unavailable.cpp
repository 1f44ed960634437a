// The schema rules of a core built without the JSON Schema validator (the browsers' chat module): they refuse, never pass.
#include "detail/request_checker.h"
#include "request_validator.h"

// Linked ahead of the core library (cmake/wasm.cmake, llmbase_wasm_chat_bindings), these
// definitions stand in for request_schema_rules.cpp, so the linker never pulls that file (or
// json_schema*.cpp, about 9 KB gzipped) from the archive. The JS shell sends every request that
// request_carries_json_schema() flags to the full core, so these are reached only if that
// routing is broken, and then the request is refused, never sent unchecked. Not part of
// llmbase_core: with both definitions in one link, the build would fail on duplicates.
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
