// Internal to request_validator: the rule walker shared by its two source files (not public API).
#pragma once

#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "../model_metadata.h"
#include "../request_validator.h"

namespace llmbase {
namespace detail {

// A member that is present and not null (null optional parameters count as absent).
const nlohmann::json* present(const nlohmann::json& obj, const char* key);
bool one_of(const std::string& value, std::initializer_list<const char*> allowed);
// "a string", "an array", … for messages.
std::string kind_of(const nlohmann::json& value);
// 2 → "2", 0.5 → "0.5": numbers in messages, identical in wasm and native.
std::string num(double value);

// Walks one request in the documented order (request_validator.h) and collects findings.
// Message rules live in request_message_rules.cpp, parameter rules in request_validator.cpp.
class RequestChecker {
 public:
  RequestChecker(const nlohmann::json& request, const ModelInfo* model, const ModelCatalog* catalog,
                 const ValidationOptions& options)
      : req_(request), model_(model), catalog_(catalog), options_(options) {}

  std::vector<Finding> run();

 private:
  void add(std::string path, const char* code, Severity severity, std::string message);
  void error(std::string path, const char* code, std::string message) {
    add(std::move(path), code, Severity::kError, std::move(message));
  }
  void warn(std::string path, const char* code, std::string message) {
    add(std::move(path), code, Severity::kWarning, std::move(message));
  }

  // "; models that do: a, b, c": up to 3 catalog models (this one excluded) that `accepts`,
  // in catalog order, so the fix a message names is one the caller can act on.
  template <typename Pred>
  std::string alternatives(Pred accepts, const char* label = "models that do") const {
    constexpr std::size_t kMaxSuggestions = 3;
    if (catalog_ == nullptr) return "";
    std::string names;
    std::size_t count = 0;
    for (const auto& m : catalog_->models()) {
      if (count == kMaxSuggestions) break;
      if ((model_ && m.id == model_->id) || !accepts(m)) continue;
      names += (count++ ? ", " : "") + m.id;
    }
    return count ? "; " + std::string(label) + ": " + names : "; no model in the metadata does";
  }

  // request_message_rules.cpp
  void check_model();
  void check_messages();
  void check_message(const nlohmann::json& msg, const std::string& path);
  void check_parts(const nlohmann::json& parts, const std::string& path, const std::string& role);
  void check_attachment(const nlohmann::json& part, const std::string& path,
                        const std::string& type);
  void check_tool_calls(const nlohmann::json& calls, const std::string& path);

  // request_validator.cpp
  void check_number(const char* name, double min, double max);
  // Checks an integer parameter (5.0 counts); returns it when valid and within [min, max].
  const nlohmann::json* check_integer(const char* name, std::optional<long long> min = {},
                                      std::optional<long long> max = {});
  void check_type(const char* name, nlohmann::json::value_t type, const char* what);
  void check_stop();
  void check_max_tokens(const char* name);
  void need_feature(const std::string& path, std::initializer_list<const char*> any_of,
                    const std::string& what);
  void check_logprobs();
  void check_tools();
  void check_tool_choice();
  void check_response_format();
  void check_json_schema(const nlohmann::json& format);
  // request_schema_rules.cpp: the JSON Schema at `path` (response_format, tool parameters).
  void check_schema(const std::string& path, const nlohmann::json& schema);
  void check_reasoning_effort();
  const char* cap_key() const;
  void check_context();

  const nlohmann::json& req_;
  const ModelInfo* model_;
  const ModelCatalog* catalog_;
  const ValidationOptions& options_;
  std::vector<Finding> findings_;
};

}  // namespace detail
}  // namespace llmbase
