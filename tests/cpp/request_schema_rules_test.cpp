// GoogleTest: the pre-send check of the JSON Schemas in response_format and tool parameters (json_schema.h's check).
#include <gtest/gtest.h>

#include <string>

#include "core/request_validator.h"
#include "test_json.h"

using nlohmann::json;

namespace llmbase {
namespace {

std::vector<Finding> check(const std::string& extra) {
  json request = testing::parse(R"({"model":"m","messages":[{"role":"user","content":"hi"}]})");
  request.update(testing::parse(extra));
  // Every request whose schemas these rules check is one the browsers' chat module, which has
  // no validator, hands to the full core.
  EXPECT_TRUE(request_carries_json_schema(request)) << extra;
  std::vector<Finding> out;
  for (Finding& f : validate_request(request, nullptr, nullptr, ValidationOptions{})) {
    if (f.code == finding_code::kInvalidJsonSchema) out.push_back(std::move(f));
  }
  return out;
}

TEST(RequestSchemaRules, RefusesAMalformedResponseFormatSchema) {
  const auto findings = check(R"({"response_format":{"type":"json_schema","json_schema":{"name":"n",
      "schema":{"type":"object","properties":{"n":{"type":"nummber"}},"required":"n"}}}})");
  ASSERT_EQ(findings.size(), 2u);
  // A schema's own keywords first, then its subschemas'.
  EXPECT_EQ(findings[0].path, "response_format.json_schema.schema.required");
  EXPECT_EQ(findings[1].path, "response_format.json_schema.schema.properties.n.type");
  EXPECT_EQ(findings[1].severity, Severity::kError);
  EXPECT_NE(findings[1].message.find("invalid_keyword"), std::string::npos);
}

TEST(RequestSchemaRules, RefusesMalformedToolParameters) {
  const auto findings = check(R"({"tools":[{"type":"function","function":{"name":"f",
      "parameters":{"type":"object","properties":{"x":{"$ref":"#/$defs/missing"}}}}}]})");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].path, "tools[0].function.parameters.properties.x.$ref");
  EXPECT_EQ(findings[0].severity, Severity::kError);
  EXPECT_NE(findings[0].message.find("unresolved_ref"), std::string::npos);
}

TEST(RequestSchemaRules, WarnsAboutWhatTheValidatorDoesNotImplement) {
  const auto findings = check(R"({"tools":[{"type":"function","function":{"name":"f",
      "parameters":{"type":"object","properties":{"at":{"type":"string","format":"date-time"}}}}}]})");
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].severity, Severity::kWarning);
  EXPECT_EQ(findings[0].path, "tools[0].function.parameters.properties.at.format");
  EXPECT_NE(findings[0].message.find("'format'"), std::string::npos);
}

TEST(RequestSchemaRules, AcceptsWhatStrictStructuredOutputsUse) {
  EXPECT_TRUE(
      check(R"({"response_format":{"type":"json_schema","json_schema":{"name":"n","strict":true,
      "schema":{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"object",
      "properties":{"items":{"type":"array","items":{"$ref":"#/$defs/item"}},
                    "pair":{"type":"array","prefixItems":[{"type":"string"},{"type":"number"}]}},
      "required":["items","pair"],"additionalProperties":false,
      "$defs":{"item":{"type":"object","properties":{"name":{"type":"string","pattern":"^[a-z]+$"},
        "price":{"type":"number","minimum":0},"children":{"type":"array","items":{"$ref":"#/$defs/item"}}},
        "required":["name"],"additionalProperties":false}}}}}})")
          .empty());
}

}  // namespace
}  // namespace llmbase
