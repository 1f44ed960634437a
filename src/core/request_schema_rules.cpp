// Pre-send rules for the JSON Schemas a chat request carries (response_format, tool parameters): json_schema.h's check.
#include <cstring>

#include "detail/request_checker.h"
#include "json_schema.h"

namespace llmbase::detail {

// response_format {"type":"json_schema","json_schema":{"name","schema"}}: its shape, then its schema.
void RequestChecker::check_json_schema(const nlohmann::json& format) {
  const char* base = "response_format.json_schema";
  const nlohmann::json* schema = present(format, "json_schema");
  if (!schema || !schema->is_object()) {
    error(base, schema ? finding_code::kInvalidType : finding_code::kMissingField,
          "'response_format.json_schema' must be {\"name\":\"…\",\"schema\":{…}}.");
    return;
  }
  const nlohmann::json* name = present(*schema, "name");
  if (!name || !name->is_string() || name->get_ref<const std::string&>().empty()) {
    error(std::string(base) + ".name",
          !name               ? finding_code::kMissingField
          : name->is_string() ? finding_code::kInvalidValue
                              : finding_code::kInvalidType,
          "'response_format.json_schema.name' is required: a non-empty name for the schema.");
  }
  const nlohmann::json* body = present(*schema, "schema");
  if (!body || !body->is_object()) {
    error(std::string(base) + ".schema",
          body ? finding_code::kInvalidType : finding_code::kMissingField,
          "'response_format.json_schema.schema' is required: the JSON Schema object.");
  } else {
    check_schema(std::string(base) + ".schema", *body);
  }
}

// The same check the structured-output validator and the tool loop run (json_schema.h). A
// malformed schema (a keyword with a value of the wrong shape, a $ref to nothing, a non-schema)
// is refused before sending. A well-formed schema using what this validator does not implement
// (format, a remote $ref, a regex outside its subset) may still be enforced by the provider, so
// create() only warns; parse() and runTools() refuse it, since they could not check the reply.
void RequestChecker::check_schema(const std::string& path, const nlohmann::json& schema) {
  for (const SchemaFinding& f : llmbase::check_json_schema(schema)) {
    const char* code = f.code.c_str();
    const bool malformed = !std::strcmp(code, schema_code::kNotASchema) ||
                           !std::strcmp(code, schema_code::kInvalidKeyword) ||
                           !std::strcmp(code, schema_code::kUnresolvedRef);
    std::string message = "'" + path + "': " + f.message + " (" + f.code + " at " + f.path + ")";
    if (!malformed) message += "; parse() and runTools() refuse it, as they could not check it";
    add(path + f.path.substr(1), finding_code::kInvalidJsonSchema,
        malformed ? Severity::kError : Severity::kWarning, std::move(message));
  }
}

}  // namespace llmbase::detail
