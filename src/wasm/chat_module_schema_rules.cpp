// The browsers' chat module says which requests need the full core (its own schema rules refuse: core/request_schema_rules_unavailable.cpp).
#include <emscripten/bind.h>

#include <string>

#include "core/json_text.h"
#include "core/request_validator.h"

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
