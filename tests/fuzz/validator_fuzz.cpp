// libFuzzer target: request validation and cost (validate_request_json, estimate_cost_json,
// actual_cost_json) on request / metadata / options texts cut from the input at NUL bytes.
#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/cost.h"
#include "core/json_text.h"
#include "core/model_metadata.h"
#include "core/request_validator.h"
#include "fuzz_support.h"

namespace {

using nlohmann::json;
namespace fz = llmbase::fuzz;
namespace fc = llmbase::finding_code;

const std::set<std::string>& known_codes() {
  static const std::set<std::string> codes = {
      fc::kInvalidJson,         fc::kInvalidMetadata,
      fc::kInvalidOptions,      fc::kMissingField,
      fc::kInvalidType,         fc::kInvalidValue,
      fc::kEmptyArray,          fc::kOutOfRange,
      fc::kTooManyItems,        fc::kUnknownModel,
      fc::kUnsupportedFeature,  fc::kUnsupportedParameter,
      fc::kUnsupportedModality, fc::kJsonSchemaNeedsStructuredOutputs,
      fc::kExceedsMaxOutput,    fc::kContextOverflow,
      fc::kInvalidJsonSchema};
  return codes;
}

// {"ok":bool,"findings":[{"path","code","severity","message"}…]}, ok = no error finding.
void check_validation_result(const std::string& text) {
  const json result = fz::parse_output(text);
  LLMBASE_FUZZ_CHECK(result.is_object() && result["ok"].is_boolean());
  LLMBASE_FUZZ_CHECK(result["findings"].is_array());
  bool any_error = false;
  for (const auto& f : result["findings"]) {
    LLMBASE_FUZZ_CHECK(f["path"].is_string() && f["message"].is_string());
    LLMBASE_FUZZ_CHECK(f["code"].is_string() && known_codes().count(f["code"].get<std::string>()));
    LLMBASE_FUZZ_CHECK(f["severity"] == "error" || f["severity"] == "warning");
    any_error = any_error || f["severity"] == "error";
  }
  LLMBASE_FUZZ_CHECK(result["ok"] == !any_error);
}

void check_count(const json& value) {
  LLMBASE_FUZZ_CHECK(value.is_number_integer() && value.get<long long>() >= 0);
}

void check_usd(const json& value) {
  LLMBASE_FUZZ_CHECK(value.is_null() || (value.is_number() && value.get<double>() >= 0));
}

// {"ok":true,"model":…,…} or {"ok":false,"error":{"code","message"}}.
json check_cost_result(const std::string& text) {
  const json result = fz::parse_output(text);
  LLMBASE_FUZZ_CHECK(result.is_object() && result["ok"].is_boolean());
  if (!result["ok"].get<bool>()) {
    LLMBASE_FUZZ_CHECK(result["error"]["code"] == fc::kInvalidJson ||
                       result["error"]["code"] == fc::kInvalidMetadata);
    return result;
  }
  LLMBASE_FUZZ_CHECK(result["model"].is_null() || result["model"].is_string());
  LLMBASE_FUZZ_CHECK(result["priced"].is_boolean());
  check_count(result["prompt_tokens"]);
  return result;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const auto fields = fz::split_at_nul(fz::as_text(bytes, size), 3);
  const std::string_view request_text = fields[0], metadata_text = fields[1],
                         options_text = fields[2];

  const std::string validated =
      llmbase::validate_request_json(request_text, metadata_text, options_text);
  check_validation_result(validated);

  const json estimate = check_cost_result(llmbase::estimate_cost_json(request_text, metadata_text));
  if (estimate["ok"].get<bool>()) {
    LLMBASE_FUZZ_CHECK(estimate["max_completion_tokens"].is_null() ||
                       estimate["max_completion_tokens"].get<long long>() >= 1);
    check_usd(estimate["max_cost_usd"]);
    // A priced model with a known cap always has a ceiling: null would read as "no limit".
    if (estimate["priced"].get<bool>() && !estimate["max_completion_tokens"].is_null()) {
      LLMBASE_FUZZ_CHECK(!estimate["max_cost_usd"].is_null());
    }
  }
  // The request text doubles as a usage (or completion) object; the options text as a model id.
  const json cost =
      check_cost_result(llmbase::actual_cost_json(request_text, metadata_text, options_text));
  if (cost["ok"].get<bool>()) {
    check_count(cost["completion_tokens"]);
    check_count(cost["cached_tokens"]);
    LLMBASE_FUZZ_CHECK(cost["cached_tokens"].get<long long>() <=
                       cost["prompt_tokens"].get<long long>());
    check_usd(cost["cost_usd"]);
    LLMBASE_FUZZ_CHECK(cost["priced"].get<bool>() == !cost["cost_usd"].is_null());
  }

  // The catalog path of the wasm client (parsed once) must give the same bytes as the one-call
  // helpers when the texts are usable.
  bool metadata_ok = false;
  const auto catalog = llmbase::ModelCatalog::parse_text(metadata_text, &metadata_ok);
  const json request = llmbase::parse_json_text(request_text);  // as the bindings must parse
  if (metadata_ok && !request.is_discarded()) {
    if (options_text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
      const auto findings = llmbase::validate_against_catalog(request, catalog, {});
      LLMBASE_FUZZ_CHECK(llmbase::validation_result_json(findings) == validated);
    }
    if (request.is_object()) {
      LLMBASE_FUZZ_CHECK(fz::parse_output(llmbase::estimate_cost_json(request, catalog)) ==
                         estimate);
    }
  }
  return 0;
}
