// Internal to json_schema*.cpp: $ref resolution and the walk over a schema's subschemas.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

namespace llmbase::detail {

// The schema a local `ref` ("#", "#/a/b~1c", "#name") points to inside `root`, or nullptr.
const nlohmann::json* resolve_schema_ref(const nlohmann::json& root, const std::string& ref);

// Calls `visit(subschema, path)` for every direct subschema of `schema` (an object), where the
// keyword's value has the expected shape; path is `parent` + ".properties.a", "[2]", …
void for_each_subschema(
    const nlohmann::json& schema, const std::string& parent,
    const std::function<void(const nlohmann::json&, const std::string&)>& visit);

}  // namespace llmbase::detail
