// Tolerant parsing of metadata / models responses (llmbase-api.md §11 and Decisions §1).
#include "model_metadata.h"

#include <algorithm>
#include <cmath>

#include "detail/text.h"
#include "json_text.h"

using nlohmann::json;

namespace llmbase {
namespace detail {

std::optional<double> number_from_json(const json& value) {
  if (value.is_number()) {
    double v = value.get<double>();
    if (std::isfinite(v)) return v;
    return std::nullopt;
  }
  if (value.is_string()) {
    // nlohmann's own number grammar: no locale, no hex, no trailing junk.
    json parsed = parse_json_text(value.get_ref<const std::string&>());
    if (!parsed.is_discarded() && parsed.is_number()) return number_from_json(parsed);
  }
  return std::nullopt;
}

std::optional<long long> whole_number(const json& value) {
  constexpr double kMaxExact = 9007199254740992.0;  // 2^53: past it doubles skip integers
  if (value.is_number_integer() && !value.is_number_unsigned()) {
    long long v = value.get<long long>();
    if (v >= -static_cast<long long>(kMaxExact) && v <= static_cast<long long>(kMaxExact)) {
      return v;
    }
    return std::nullopt;
  }
  if (value.is_number_unsigned()) {
    auto v = value.get<unsigned long long>();
    if (v <= static_cast<unsigned long long>(kMaxExact)) return static_cast<long long>(v);
    return std::nullopt;
  }
  if (value.is_number_float()) {
    double v = value.get<double>();
    if (std::isfinite(v) && std::floor(v) == v && std::fabs(v) <= kMaxExact) {
      return static_cast<long long>(v);
    }
  }
  return std::nullopt;
}

}  // namespace detail

namespace {

bool contains(const std::optional<std::vector<std::string>>& list, std::string_view name) {
  return list && std::find(list->begin(), list->end(), name) != list->end();
}

// Non-string items are dropped; a member that is not an array reads as "not said".
std::optional<std::vector<std::string>> string_list(const json& entry, const char* key) {
  auto it = entry.find(key);
  if (it == entry.end() || !it->is_array()) return std::nullopt;
  std::vector<std::string> out;
  for (const auto& item : *it) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::optional<long long> positive_length(const json& entry, const char* key) {
  auto it = entry.find(key);
  if (it == entry.end()) return std::nullopt;
  auto number = detail::number_from_json(*it);
  if (!number || *number < 1 || *number > 9007199254740992.0) return std::nullopt;
  return static_cast<long long>(std::floor(*number));
}

// Prices are USD per 1M tokens: a finite number >= 0, or a numeric string.
std::optional<double> price(const json& pricing, const char* key, const char* alias) {
  for (const char* name : {key, alias}) {
    if (name == nullptr) continue;
    auto it = pricing.find(name);
    if (it == pricing.end() || it->is_null()) continue;
    auto number = detail::number_from_json(*it);
    if (number && *number >= 0) return number;
    return std::nullopt;  // present but unusable: do not fall through to the alias
  }
  return std::nullopt;
}

std::optional<ModelPricing> parse_pricing(const json& entry) {
  auto it = entry.find("pricing");
  if (it == entry.end() || !it->is_object()) return std::nullopt;
  auto input = price(*it, "input", "prompt");
  auto output = price(*it, "output", "completion");
  if (!input || !output) return std::nullopt;
  ModelPricing pricing;
  pricing.input = *input;
  pricing.output = *output;
  pricing.input_cache_read = price(*it, "input_cache_read", nullptr);
  return pricing;
}

// The array of entries of a response, or nullptr for an unknown shape.
const json* entry_list(const json& response) {
  if (response.is_array()) return &response;
  if (!response.is_object()) return nullptr;
  for (const char* key : {"data", "models"}) {
    auto it = response.find(key);
    if (it != response.end() && it->is_array()) return &*it;
  }
  return nullptr;
}

}  // namespace

bool ModelInfo::supports_feature(std::string_view feature) const {
  return contains(supported_features, feature);
}

bool ModelInfo::supports_parameter(std::string_view parameter) const {
  return contains(supported_parameters, parameter);
}

bool ModelInfo::accepts_input(std::string_view modality) const {
  return contains(input_modalities, modality);
}

json ModelInfo::to_json() const {
  json out = raw.is_object() ? raw : json::object();
  out["id"] = id;
  auto put_list = [&out](const char* key, const std::optional<std::vector<std::string>>& list) {
    if (list) out[key] = *list;
  };
  put_list("supported_features", supported_features);
  put_list("supported_parameters", supported_parameters);
  put_list("input_modalities", input_modalities);
  put_list("output_modalities", output_modalities);
  if (context_length) out["context_length"] = *context_length;
  if (max_output_length) out["max_output_length"] = *max_output_length;
  if (pricing) {
    json p = {{"input", pricing->input}, {"output", pricing->output}};
    if (pricing->input_cache_read) p["input_cache_read"] = *pricing->input_cache_read;
    out["pricing"] = std::move(p);
  } else {
    out["pricing"] = nullptr;  // callers test one field for "priced", whatever arrived
  }
  return out;
}

std::optional<ModelInfo> parse_model_info(const json& entry) {
  if (!entry.is_object()) return std::nullopt;
  auto id = entry.find("id");
  if (id == entry.end() || !id->is_string() || id->get_ref<const std::string&>().empty()) {
    return std::nullopt;
  }
  ModelInfo info;
  info.id = id->get<std::string>();
  info.supported_features = string_list(entry, "supported_features");
  info.supported_parameters = string_list(entry, "supported_parameters");
  info.input_modalities = string_list(entry, "input_modalities");
  info.output_modalities = string_list(entry, "output_modalities");
  info.context_length = positive_length(entry, "context_length");
  info.max_output_length = positive_length(entry, "max_output_length");
  info.pricing = parse_pricing(entry);
  info.raw = entry;
  return info;
}

ModelCatalog ModelCatalog::parse(const json& response) {
  ModelCatalog catalog;
  const json* entries = entry_list(response);
  if (entries == nullptr) {
    // A single entry, e.g. what a per-model metadata endpoint would return.
    if (response.is_object() && response.contains("id")) {
      catalog.recognized_ = true;
      if (auto info = parse_model_info(response)) {
        catalog.models_.push_back(std::move(*info));
      } else {
        catalog.skipped_ = 1;
      }
    }
    return catalog;
  }
  catalog.recognized_ = true;
  for (const auto& entry : *entries) {
    if (auto info = parse_model_info(entry)) {
      catalog.models_.push_back(std::move(*info));
    } else {
      ++catalog.skipped_;
    }
  }
  return catalog;
}

ModelCatalog ModelCatalog::parse_text(std::string_view text, bool* valid) {
  if (valid) *valid = true;
  if (detail::is_blank(text)) {
    ModelCatalog empty;
    empty.recognized_ = true;
    return empty;
  }
  json parsed = parse_json_text(text);
  ModelCatalog catalog = parsed.is_discarded() ? ModelCatalog() : parse(parsed);
  if (valid && !catalog.recognized_) *valid = false;
  return catalog;
}

const ModelInfo* ModelCatalog::find(std::string_view id) const {
  for (const auto& model : models_) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

json ModelCatalog::to_json() const {
  json list = json::array();
  for (const auto& model : models_) list.push_back(model.to_json());
  return {{"models", std::move(list)}, {"skipped", skipped_}};
}

std::string model_metadata_result_json(const ModelCatalog& catalog, bool valid) {
  json out = catalog.to_json();
  out["ok"] = valid;
  if (!valid) {
    out["error"] = kMetadataShapeError;
  }
  return detail::dump_json(out);
}

std::string parse_model_metadata_json(std::string_view metadata_json) {
  bool valid = true;
  ModelCatalog catalog = ModelCatalog::parse_text(metadata_json, &valid);
  return model_metadata_result_json(catalog, valid);
}

}  // namespace llmbase
