// JSON Schema: the schema check (refuses what is not implemented) and the instance validator.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace llmbase {

// Stable codes of schema-check findings (checkJsonSchema, and the pre-send validator's
// `invalid_json_schema` finding messages).
namespace schema_code {
inline constexpr const char* kNotASchema = "not_a_schema";  // neither object nor boolean
inline constexpr const char* kUnsupportedKeyword = "unsupported_keyword";  // not implemented
inline constexpr const char* kInvalidKeyword = "invalid_keyword";  // a keyword's value is malformed
inline constexpr const char* kUnsupportedRef = "unsupported_ref";  // remote / non-local $ref
inline constexpr const char* kUnresolvedRef = "unresolved_ref";    // local $ref with no target
inline constexpr const char* kUnsupportedPattern = "unsupported_pattern";  // regex outside subset
inline constexpr const char* kAmbiguousRef = "ambiguous_ref";  // $ref beside assertions (§ below)
}  // namespace schema_code

struct SchemaFinding {
  std::string path;  // into the schema: "$.properties.price.minimum"
  std::string code;  // one of schema_code
  std::string message;
};

struct SchemaViolation {
  std::string path;     // into the instance: "$.items[2].price"
  std::string rule;     // the keyword that failed: "type", "required", "pattern", …
  std::string message;  // "expected number"
};

// What the validator implements (draft 7 plus the 2020-12 names OpenAI's strict mode uses):
//   type (incl. "integer" = whole number), enum, const, multipleOf, minimum, maximum,
//   exclusiveMinimum, exclusiveMaximum (numbers), minLength, maxLength (code points), pattern,
//   items (schema or draft-7 array), prefixItems, additionalItems, minItems, maxItems,
//   uniqueItems, contains, properties, patternProperties, additionalProperties, required,
//   minProperties, maxProperties, propertyNames, dependencies, dependentRequired,
//   dependentSchemas, allOf, anyOf, oneOf, not, if/then/else, boolean schemas,
//   $ref to "#", "#/json/pointer" or a "#name" anchor ($anchor, or draft-7 "$id": "#name"),
//   $defs and definitions (recursion allowed).
// Annotations accepted and not asserted: title, description, default, examples, $comment,
// $schema, readOnly, writeOnly, deprecated, and $id at the root.
// Anything else (format, unevaluated*, remote $ref, a nested $id URI…) is refused by name.
// `$ref` next to assertion keywords is refused (draft 7 ignores them, 2020-12 applies them):
// wrap the two in allOf.
std::vector<SchemaFinding> check_json_schema(const nlohmann::json& schema);

// Validates `instance`. The schema should have passed check_json_schema; a construct it refuses
// yields one violation with rule "schema" instead of being ignored. Stops after `max_errors`.
std::vector<SchemaViolation> validate_json_schema(const nlohmann::json& schema,
                                                  const nlohmann::json& instance,
                                                  std::size_t max_errors = 50);

// "$.items[2].price: expected number"
std::string violation_text(const SchemaViolation& v);

// Instance paths: "$" + ".name" (identifier-like keys) or "[\"a b\"]" + "[2]".
std::string path_key(const std::string& parent, const std::string& key);
std::string path_index(const std::string& parent, std::size_t index);

// The binding form: {"valid":bool,"errors":[{"path","rule","message"}]}; an unparsable text → one error with rule
// "json" (instance) or "schema" (schema), path "$".
std::string validate_json_schema_text(std::string_view schema_json, std::string_view instance_json);

}  // namespace llmbase
