// Structured outputs (`parse`): the reply checked against response_format's JSON Schema where it is produced.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "json_schema.h"

namespace llmbase {

// Stable codes of a failed check (the JS and C++ shells map them to their error types).
namespace structured_code {
inline constexpr const char* kLength = "length";                 // finish_reason "length"
inline constexpr const char* kContentFilter = "content_filter";  // finish_reason "content_filter"
inline constexpr const char* kInvalidCompletion = "invalid_completion";  // no choices[0].message
inline constexpr const char* kInvalidJson = "invalid_json";              // content is not JSON
inline constexpr const char* kSchemaMismatch = "schema_mismatch";  // JSON, but not the schema's
inline constexpr const char* kInvalidSchema = "invalid_schema";  // the request's schema is refused
}  // namespace structured_code

struct StructuredOutput {
  bool ok = false;
  nlohmann::json parsed;  // the parsed content (null when the model refused or no JSON format)
  std::string refusal;    // message.refusal, when the model refused (ok stays true, parsed null)
  std::string code;       // structured_code when !ok
  std::string message;    // "$.items[2].price: expected number"
  std::string path;       // the first violation's instance path ("$" otherwise)
  std::string rule;       // the first violation's keyword
  std::vector<SchemaViolation> violations;
  std::string raw;  // the content text as received
};

// `params` is the chat request (its response_format says what to check), `completion` the
// chat.completion. json_schema → parse + validate against json_schema.schema; json_object →
// parse only; text or absent → parsed null. finish_reason length / content_filter fail first,
// since a cut or filtered reply cannot be the answer.
StructuredOutput check_structured_output(const nlohmann::json& params,
                                         const nlohmann::json& completion);

// Binding form: {"ok":true,"parsed":…,"refusal":null|text} or
// {"ok":false,"error":{"code","message","path","rule"},"errors":[{path,rule,message}],"raw":text}.
std::string check_structured_output_text(std::string_view params_json,
                                         std::string_view completion_json);

}  // namespace llmbase
