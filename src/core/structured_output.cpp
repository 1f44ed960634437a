// Structured outputs: finish_reason, JSON parse and JSON Schema check of one chat.completion.
#include "structured_output.h"

#include "json_text.h"
#include "model_metadata.h"

using nlohmann::json;

namespace llmbase {

namespace {

StructuredOutput failure(StructuredOutput out, const char* code, std::string message) {
  out.ok = false;
  out.code = code;
  out.message = std::move(message);
  if (out.path.empty()) out.path = "$";
  return out;
}

}  // namespace

StructuredOutput check_structured_output(const json& params, const json& completion) {
  StructuredOutput out;
  const json* choice = nullptr;
  if (completion.is_object()) {
    auto choices = completion.find("choices");
    if (choices != completion.end() && choices->is_array() && !choices->empty())
      choice = &(*choices)[0];
  }
  const json* message = nullptr;
  if (choice && choice->is_object()) {
    auto m = choice->find("message");
    if (m != choice->end() && m->is_object()) message = &*m;
  }
  if (!message) {
    return failure(out, structured_code::kInvalidCompletion,
                   "the completion has no choices[0].message");
  }
  out.raw = detail::string_or_empty(*message, "content");
  const std::string finish = detail::string_or_empty(*choice, "finish_reason");
  if (finish == "length") {
    return failure(out, structured_code::kLength,
                   "the reply was cut off at the token limit (finish_reason \"length\"), so it is "
                   "not complete JSON: raise max_tokens");
  }
  if (finish == "content_filter") {
    return failure(
        out, structured_code::kContentFilter,
        "the reply was stopped by the content filter (finish_reason \"content_filter\")");
  }
  out.refusal = detail::string_or_empty(*message, "refusal");
  const json* format = nullptr;
  if (params.is_object()) {
    auto f = params.find("response_format");
    if (f != params.end() && f->is_object()) format = &*f;
  }
  const std::string type = format ? detail::string_or_empty(*format, "type") : "";
  if (!out.refusal.empty() || (type != "json_schema" && type != "json_object")) {
    out.ok = true;
    return out;
  }
  const json parsed = parse_json_text(out.raw);
  if (parsed.is_discarded()) {
    return failure(out, structured_code::kInvalidJson, "$: the reply is not valid JSON");
  }
  if (type == "json_schema") {
    const json spec = format->value("json_schema", json());
    const json schema = spec.is_object() ? spec.value("schema", json()) : json();
    const auto findings = check_json_schema(schema);
    if (!schema.is_object() || !findings.empty()) {
      return failure(out, structured_code::kInvalidSchema,
                     findings.empty()
                         ? "response_format.json_schema.schema is not a schema object"
                         : "response_format.json_schema.schema" + findings[0].path.substr(1) +
                               ": " + findings[0].message);
    }
    out.violations = validate_json_schema(schema, parsed);
    if (!out.violations.empty()) {
      out.path = out.violations[0].path;
      out.rule = out.violations[0].rule;
      return failure(out, structured_code::kSchemaMismatch, violation_text(out.violations[0]));
    }
  }
  out.ok = true;
  out.parsed = parsed;
  return out;
}

std::string check_structured_output_text(std::string_view params_json,
                                         std::string_view completion_json) {
  const json params = parse_json_text(params_json);
  const json completion = parse_json_text(completion_json);
  StructuredOutput out = check_structured_output(params.is_discarded() ? json() : params,
                                                 completion.is_discarded() ? json() : completion);
  json result;
  result["ok"] = out.ok;
  if (out.ok) {
    result["parsed"] = out.parsed;
    result["refusal"] = out.refusal.empty() ? json() : json(out.refusal);
    return detail::dump_json(result);
  }
  result["error"] = {
      {"code", out.code}, {"message", out.message}, {"path", out.path}, {"rule", out.rule}};
  result["errors"] = json::array();
  for (const auto& v : out.violations) {
    result["errors"].push_back({{"path", v.path}, {"rule", v.rule}, {"message", v.message}});
  }
  result["raw"] = out.raw;
  return detail::dump_json(result);
}

}  // namespace llmbase
