// Pre-send rules for tools, tool_choice and response_format (the JSON Schemas in them: request_schema_rules.cpp).
#include <algorithm>
#include <string>

#include "detail/request_checker.h"
#include "request_validator.h"

using nlohmann::json;

namespace llmbase {
namespace detail {

namespace fc = finding_code;

namespace {

// 1–64 of [A-Za-z0-9_-]: the OpenAI function-name rule, which the local server enforces too.
bool is_tool_name(const json& v) {
  if (!v.is_string()) return false;
  const auto& s = v.get_ref<const std::string&>();
  return !s.empty() && s.size() <= 64 && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-';
  });
}

}  // namespace

void RequestChecker::check_tools() {
  const json* tools = present(req_, "tools");
  if (!tools) return;
  if (!tools->is_array()) {
    error("tools", fc::kInvalidType,
          "'tools' must be an array of function tools, got " + kind_of(*tools) + ".");
  } else if (tools->empty()) {
    error("tools", fc::kEmptyArray, "'tools' must not be empty: omit it when there are no tools.");
  }
  for (std::size_t i = 0; tools->is_array() && i < tools->size(); ++i) {
    const json& tool = (*tools)[i];
    const std::string tp = "tools[" + std::to_string(i) + "]";
    const json* type = present(tool, "type");
    const json* fn = present(tool, "function");
    if (!type || *type != "function" || !fn || !fn->is_object()) {
      error(tp, fc::kInvalidValue,
            "'" + tp + "' must be {\"type\":\"function\",\"function\":{\"name\":\"…\"," +
                "\"parameters\":{…}}}.");
      continue;
    }
    const json* name = present(*fn, "name");
    if (!name || !is_tool_name(*name)) {
      error(tp + ".function.name", name ? fc::kInvalidValue : fc::kMissingField,
            "'" + tp + ".function.name' must be 1-64 letters, digits, '_' or '-'.");
    }
    const json* params = present(*fn, "parameters");
    if (params && !params->is_object()) {
      error(tp + ".function.parameters", fc::kInvalidType,
            "'" + tp + ".function.parameters' must be a JSON Schema object.");
    } else if (params) {
      check_schema(tp + ".function.parameters", *params);
    }
  }
  need_feature("tools", {"tools"}, "tool calling");
}

void RequestChecker::check_tool_choice() {
  const json* choice = present(req_, "tool_choice");
  if (!choice) return;
  if (choice->is_string()) {
    if (!one_of(choice->get<std::string>(), {"auto", "none", "required"})) {
      error("tool_choice", fc::kInvalidValue,
            "'tool_choice' must be \"auto\", \"none\", \"required\" or {\"type\":\"function\","
            "\"function\":{\"name\":\"…\"}}; got " +
                detail::dump_json(*choice) + ".");
    }
  } else if (choice->is_object()) {
    const json* fn = present(*choice, "function");
    const json* name = fn ? present(*fn, "name") : nullptr;
    if (!present(*choice, "type") || (*choice)["type"] != "function" || !name ||
        !name->is_string()) {
      error("tool_choice", fc::kInvalidValue,
            "'tool_choice' object must be {\"type\":\"function\",\"function\":{\"name\":\"…\"}}.");
    } else {
      const json* tools = present(req_, "tools");
      bool listed = tools && tools->is_array() &&
                    std::any_of(tools->begin(), tools->end(), [&](const json& t) {
                      const json* f = present(t, "function");
                      return f && present(*f, "name") && (*f)["name"] == *name;
                    });
      if (!listed) {
        error("tool_choice", fc::kInvalidValue,
              "'tool_choice' names function " + detail::dump_json(*name) +
                  ", which is not in 'tools': add it there or fix the name.");
      }
    }
  } else {
    error("tool_choice", fc::kInvalidType,
          "'tool_choice' must be a string or a function object, got " + kind_of(*choice) + ".");
  }
  need_feature("tool_choice", {"tools"}, "tool calling");
}

void RequestChecker::check_response_format() {
  const json* format = present(req_, "response_format");
  if (!format) return;
  if (!format->is_object()) {
    error("response_format", fc::kInvalidType,
          "'response_format' must be an object such as {\"type\":\"json_object\"}.");
    return;
  }
  const json* type = present(*format, "type");
  if (!type || !type->is_string() ||
      !one_of(type->get<std::string>(), {"text", "json_object", "json_schema"})) {
    error("response_format.type",
          !type               ? fc::kMissingField
          : type->is_string() ? fc::kInvalidValue
                              : fc::kInvalidType,
          "'response_format.type' must be \"text\", \"json_object\" or \"json_schema\".");
    return;
  }
  const std::string t = type->get<std::string>();
  if (t == "json_schema") check_json_schema(*format);
  if (t == "json_object") {
    need_feature("response_format.type", {"json_mode", "structured_outputs"}, "JSON mode");
  } else if (t == "json_schema" && model_ && model_->supported_features &&
             !model_->supports_feature("structured_outputs") &&
             model_->supports_feature("json_mode")) {
    // The docs leave open whether json_mode suffices for json_schema (llmbase-api.md §7): warn, do not refuse.
    warn("response_format.type", fc::kJsonSchemaNeedsStructuredOutputs,
         "Model " + model_->id +
             " lists json_mode but not structured_outputs, so the schema may not be enforced "
             "(or the request refused): use {\"type\":\"json_object\"} and validate the reply "
             "yourself, or pick a model with structured_outputs" +
             alternatives(
                 [](const ModelInfo& m) { return m.supports_feature("structured_outputs"); }) +
             ".");
  } else if (t == "json_schema") {
    need_feature("response_format.type", {"structured_outputs"},
                 "structured outputs for json_schema");
  }
}

}  // namespace detail
}  // namespace llmbase
