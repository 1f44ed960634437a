// libFuzzer target: model metadata parsing (ModelCatalog::parse_text, to_json and the bindings'
// parse_model_metadata_json): never aborts, always valid JSON out, normalisation is a fixed point.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/model_metadata.h"
#include "fuzz_support.h"

namespace {

using llmbase::ModelCatalog;
using llmbase::ModelInfo;
using nlohmann::json;
namespace fz = llmbase::fuzz;

bool same_info(const ModelInfo& a, const ModelInfo& b) {
  const bool same_pricing =
      a.pricing.has_value() == b.pricing.has_value() &&
      (!a.pricing ||
       (a.pricing->input == b.pricing->input && a.pricing->output == b.pricing->output &&
        a.pricing->input_cache_read == b.pricing->input_cache_read));
  return a.id == b.id && a.supported_features == b.supported_features &&
         a.supported_parameters == b.supported_parameters &&
         a.input_modalities == b.input_modalities && a.output_modalities == b.output_modalities &&
         a.context_length == b.context_length && a.max_output_length == b.max_output_length &&
         same_pricing;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  const std::string_view input = fz::as_text(bytes, size);

  bool valid = false;
  const ModelCatalog catalog = ModelCatalog::parse_text(input, &valid);
  LLMBASE_FUZZ_CHECK(valid == catalog.recognized());
  const json normalised = fz::parse_output(fz::dump(catalog.to_json()));
  LLMBASE_FUZZ_CHECK(normalised["models"].is_array());
  LLMBASE_FUZZ_CHECK(normalised["models"].size() == catalog.models().size());
  LLMBASE_FUZZ_CHECK(normalised["skipped"] == catalog.skipped());

  for (const ModelInfo& model : catalog.models()) {
    LLMBASE_FUZZ_CHECK(!model.id.empty());
    const ModelInfo* found = catalog.find(model.id);
    LLMBASE_FUZZ_CHECK(found != nullptr && found->id == model.id);
    if (model.context_length) LLMBASE_FUZZ_CHECK(*model.context_length >= 1);
    if (model.max_output_length) LLMBASE_FUZZ_CHECK(*model.max_output_length >= 1);
    if (model.pricing) {
      LLMBASE_FUZZ_CHECK(model.pricing->input >= 0 && model.pricing->output >= 0);
      LLMBASE_FUZZ_CHECK(model.pricing->cache_read_price() >= 0);
    }
    model.supports_feature("tools");
    model.supports_parameter("reasoning_effort");
    model.accepts_input("image");
  }

  // The normalised view parses back to the same models: to_json() loses nothing it parsed.
  const ModelCatalog again = ModelCatalog::parse(normalised["models"]);
  LLMBASE_FUZZ_CHECK(again.recognized() && again.skipped() == 0);
  LLMBASE_FUZZ_CHECK(again.models().size() == catalog.models().size());
  for (std::size_t i = 0; i < again.models().size(); ++i) {
    LLMBASE_FUZZ_CHECK(same_info(again.models()[i], catalog.models()[i]));
  }

  // The bindings' one-call form agrees with the parse above.
  const json result = fz::parse_output(llmbase::parse_model_metadata_json(input));
  LLMBASE_FUZZ_CHECK(result["ok"] == valid);
  LLMBASE_FUZZ_CHECK(result["models"] == normalised["models"]);
  LLMBASE_FUZZ_CHECK(result["skipped"] == normalised["skipped"]);
  return 0;
}
