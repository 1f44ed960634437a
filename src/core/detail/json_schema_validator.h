// Internal to json_schema*.cpp: the validator that walks schema × instance (its keyword checks span two files).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "../json_schema.h"
#include "json_schema_regex.h"

namespace llmbase::detail {

// A value as shown in a message (JSON, cut at 120 characters).
std::string shown(const nlohmann::json& v);

class SchemaValidator {
 public:
  SchemaValidator(const nlohmann::json& root, std::size_t max_errors)
      : root_(root), max_(max_errors) {}

  // True when `inst` satisfies `schema`; violations go to `out` unless it is null (then the
  // walk stops at the first failure).
  bool check(const nlohmann::json& schema, const nlohmann::json& inst, const std::string& path,
             std::vector<SchemaViolation>* out);

 private:
  bool fail(std::vector<SchemaViolation>* out, const std::string& path, const char* rule,
            std::string message) {
    if (out && out->size() < max_) out->push_back({path, rule, std::move(message)});
    return false;
  }
  bool full(std::vector<SchemaViolation>* out) const { return out && out->size() >= max_; }
  const detail::SchemaRegex* regex(const std::string& pattern);
  bool check_number(const nlohmann::json& s, const nlohmann::json& inst, const std::string& path,
                    std::vector<SchemaViolation>* out);
  bool check_string(const nlohmann::json& s, const nlohmann::json& inst, const std::string& path,
                    std::vector<SchemaViolation>* out);
  bool check_array(const nlohmann::json& s, const nlohmann::json& inst, const std::string& path,
                   std::vector<SchemaViolation>* out);
  bool check_object(const nlohmann::json& s, const nlohmann::json& inst, const std::string& path,
                    std::vector<SchemaViolation>* out);
  bool check_combinators(const nlohmann::json& s, const nlohmann::json& inst,
                         const std::string& path, std::vector<SchemaViolation>* out);
  // Descends into an element: resets the $ref hop count, since the instance got smaller.
  bool child(const nlohmann::json& schema, const nlohmann::json& inst, const std::string& path,
             std::vector<SchemaViolation>* out) {
    const std::size_t saved = hops_;
    hops_ = 0;
    const bool ok = check(schema, inst, path, out);
    hops_ = saved;
    return ok;
  }

  const nlohmann::json& root_;
  std::size_t max_;
  std::size_t hops_ = 0;
  std::map<std::string, std::unique_ptr<detail::SchemaRegex>> regexes_;
};

}  // namespace llmbase::detail
