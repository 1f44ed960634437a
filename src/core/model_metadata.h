// Model metadata: tolerant parsing of metadata / models responses and per-model capability lookups.
#pragma once

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace llmbase {

// Prices in USD per 1M tokens (llmbase-api.md §11, Decisions §1). A model is priced only when both
// `input` (alias `prompt`) and `output` (alias `completion`) are present and valid.
struct ModelPricing {
  double input = 0;
  double output = 0;
  std::optional<double> input_cache_read;

  // Cached prompt tokens cost `input_cache_read` "when that price is configured", else the normal
  // input price (llmbase-api.md §9).
  double cache_read_price() const { return input_cache_read ? *input_cache_read : input; }
};

// One model entry. An optional that is empty means the entry did not say (e.g. a plain
// /v1/models listing without ?metadata=true), which is "unknown", never "supports nothing"
// (Decisions §2): the validator skips the rules whose data is missing.
struct ModelInfo {
  std::string id;
  std::optional<std::vector<std::string>> supported_features;
  std::optional<std::vector<std::string>> supported_parameters;
  std::optional<std::vector<std::string>> input_modalities;
  std::optional<std::vector<std::string>> output_modalities;
  std::optional<long long> context_length;     // tokens; absent when missing or not > 0
  std::optional<long long> max_output_length;  // tokens; absent when missing or not > 0
  std::optional<ModelPricing> pricing;         // absent = not priced
  nlohmann::json raw;                          // the entry as received, unknown fields kept

  // True only when the list is present and names it (an absent list answers false; use the
  // optionals above to tell "no" from "unknown").
  bool supports_feature(std::string_view feature) const;
  bool supports_parameter(std::string_view parameter) const;
  bool accepts_input(std::string_view modality) const;

  // Normalised view for callers outside C++: `raw` with the recognised fields replaced by their
  // parsed values (pricing as numbers under input/output/input_cache_read; aliases resolved).
  nlohmann::json to_json() const;
};

// Parses one entry; nullopt when it is not an object with a non-empty string `id`.
std::optional<ModelInfo> parse_model_info(const nlohmann::json& entry);

// Every model of one metadata response, in response order.
class ModelCatalog {
 public:
  // Accepts the list under `data` (OpenAI list shape), under `models`, a top-level array, or a
  // single model entry (an object with a string `id`). Entries without a string id are skipped
  // and counted. Any other shape gives an empty catalog with recognized() == false.
  static ModelCatalog parse(const nlohmann::json& response);

  // Same from JSON text. Empty (or all-whitespace) text is an empty, recognised catalog: "no
  // metadata". `valid` (optional) is set to false for unparsable text or an unknown shape.
  static ModelCatalog parse_text(std::string_view text, bool* valid = nullptr);

  // The first model with this id (ids are opaque strings, compared exactly), or nullptr.
  const ModelInfo* find(std::string_view id) const;

  const std::vector<ModelInfo>& models() const { return models_; }
  std::size_t skipped() const { return skipped_; }
  bool recognized() const { return recognized_; }

  // {"models":[ModelInfo::to_json()...],"skipped":n}
  nlohmann::json to_json() const;

 private:
  std::vector<ModelInfo> models_;
  std::size_t skipped_ = 0;
  bool recognized_ = false;
};

// Why a metadata body was refused (parse_text's `valid` false): every client and helper says this.
inline constexpr const char* kMetadataShapeError =
    "The metadata is not JSON of a known shape: expected {\"data\":[…]}, {\"models\":[…]}, an "
    "array of models or one model object with an \"id\".";

// One-call helper for the bindings: metadata JSON text → {"ok":bool,"models":[…],"skipped":n}
// (ok false, with an "error" message, for unparsable text or an unknown shape).
std::string parse_model_metadata_json(std::string_view metadata_json);

// The same result for a catalog already parsed (`valid` as parse_text set it): the wasm client
// parses the metadata once, into the catalog it validates against, and reads the list from it.
std::string model_metadata_result_json(const ModelCatalog& catalog, bool valid);

namespace detail {

// A JSON number, or a string holding exactly one JSON number ("0.20"): the metadata sends both
// (Decisions §1). Parsed by nlohmann, so the result does not depend on the C locale.
std::optional<double> number_from_json(const nlohmann::json& value);

// A JSON number (strings not accepted) with a whole value, |v| <= 2^53; 5.0 counts as 5, as in
// JavaScript, so a request reads the same in the JS client and here.
std::optional<long long> whole_number(const nlohmann::json& value);

// Canonical JSON text shared by every output of the core: compact, invalid UTF-8 replaced.
template <typename Json>
std::string dump_json(const Json& value) {
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

}  // namespace detail
}  // namespace llmbase
