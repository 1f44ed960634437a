// Embind surface of the core's JSON-in/JSON-out helpers (metadata, validation, cost) for the npm package.
#include <emscripten/bind.h>

#include <string>

#include "core/cost.h"
#include "core/model_metadata.h"
#include "core/request_validator.h"

using namespace llmbase;

namespace {

// Bound as they are so that wasm and native output stay byte-identical (the parity tests
// compare them).
std::string normalize_model_metadata(const std::string& text) {
  return parse_model_metadata_json(text);
}
std::string validate_request_text(const std::string& request, const std::string& metadata,
                                  const std::string& options) {
  return validate_request_json(request, metadata, options);
}
std::string estimate_cost_text(const std::string& request, const std::string& metadata) {
  return estimate_cost_json(request, metadata);
}

}  // namespace

EMSCRIPTEN_BINDINGS(llmbase_core) {
  emscripten::function("normalizeModelMetadata", &normalize_model_metadata);
  emscripten::function("validateRequest", &validate_request_text);
  emscripten::function("estimateCost", &estimate_cost_text);
}
