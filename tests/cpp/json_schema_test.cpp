// GoogleTest: the JSON Schema validator's own cases ($defs, prefixItems, recursion, paths, refusals, pattern).
#include <gtest/gtest.h>

#include <string>

#include "core/detail/json_schema_regex.h"
#include "core/json_schema.h"
#include "test_json.h"

using nlohmann::json;

namespace llmbase {
namespace {

using testing::parse;

std::vector<SchemaViolation> validate(const std::string& schema, const std::string& instance) {
  const json s = parse(schema);
  EXPECT_TRUE(check_json_schema(s).empty()) << schema;
  return validate_json_schema(s, parse(instance));
}

std::string first(const std::string& schema, const std::string& instance) {
  const auto v = validate(schema, instance);
  return v.empty() ? "valid" : v[0].rule + " " + violation_text(v[0]);
}

TEST(JsonSchema, NamesThePathAndRuleOfAMismatch) {
  const std::string schema = R"({"type":"object","properties":{"items":{"type":"array",
      "items":{"type":"object","properties":{"price":{"type":"number"}},"required":["price"]}}}})";
  EXPECT_EQ(first(schema, R"({"items":[{"price":1},{"price":2},{"price":"3"}]})"),
            "type $.items[2].price: expected number, got string");
  EXPECT_EQ(first(schema, R"({"items":[{}]})"),
            "required $.items[0].price: required property is missing");
  EXPECT_EQ(first(schema, R"({"items":[{"price":1.5}]})"), "valid");
}

TEST(JsonSchema, QuotesKeysThatAreNotIdentifiers) {
  EXPECT_EQ(first(R"({"properties":{"a b":{"const":1}}})", R"({"a b":2})"),
            "const $[\"a b\"]: expected 1, got 2");
}

TEST(JsonSchema, ResolvesDefsAndRecursion) {
  const std::string tree = R"({"$ref":"#/$defs/node","$defs":{"node":{"type":"object",
      "properties":{"value":{"type":"integer"},"children":{"type":"array","items":{"$ref":"#/$defs/node"}}},
      "required":["value"],"additionalProperties":false}}})";
  EXPECT_EQ(first(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":3}]}]})"),
            "valid");
  EXPECT_EQ(first(tree, R"({"value":1,"children":[{"value":2,"children":[{"value":"x"}]}]})"),
            "type $.children[0].children[0].value: expected integer, got string");
  EXPECT_EQ(first(tree, R"({"value":1,"extra":true})"),
            "additionalProperties $.extra: property not allowed (additionalProperties is false)");
}

TEST(JsonSchema, Draft7DefinitionsAndAnchorsResolveToo) {
  EXPECT_EQ(first(R"({"definitions":{"n":{"type":"null"}},"items":{"$ref":"#/definitions/n"}})",
                  "[null,1]"),
            "type $[1]: expected null, got integer");
  EXPECT_EQ(first(R"({"$defs":{"s":{"$anchor":"str","type":"string"}},"$ref":"#str"})", "5"),
            "type $: expected string, got integer");
}

TEST(JsonSchema, PrefixItemsThenItemsForTheRest) {
  const std::string schema =
      R"({"type":"array","prefixItems":[{"type":"string"},{"type":"integer"}],
      "items":{"type":"boolean"}})";
  EXPECT_EQ(first(schema, R"(["a",1,true,false])"), "valid");
  EXPECT_EQ(first(schema, R"(["a"])"), "valid");
  EXPECT_EQ(first(schema, R"([1])"), "type $[0]: expected string, got integer");
  EXPECT_EQ(first(schema, R"(["a",1,"no"])"), "type $[2]: expected boolean, got string");
  EXPECT_EQ(first(R"({"prefixItems":[{"const":1}],"items":false})", "[1,2]"),
            "false $[1]: no value is allowed here");
}

TEST(JsonSchema, StrictModeShapes) {
  // What OpenAI strict mode produces: nullable via a type list, anyOf, enum, all required.
  const std::string schema =
      R"({"type":"object","additionalProperties":false,"required":["name","age","tag"],
      "properties":{"name":{"type":"string","minLength":1,"maxLength":3},"age":{"type":["integer","null"],
      "minimum":0,"exclusiveMaximum":150},"tag":{"anyOf":[{"enum":["a","b"]},{"type":"null"}]}}})";
  EXPECT_EQ(first(schema, R"({"name":"Ann","age":null,"tag":"a"})"), "valid");
  EXPECT_EQ(first(schema, R"({"name":"Anne","age":1,"tag":null})"),
            "maxLength $.name: expected at most 3 characters, got 4");
  EXPECT_EQ(first(schema, R"({"name":"日本語","age":150,"tag":null})"),
            "exclusiveMaximum $.age: expected a number < 150, got 150");
  EXPECT_EQ(first(schema, R"({"name":"A","age":1,"tag":"c"})").substr(0, 47),
            "anyOf $.tag: matches none of the 2 anyOf altern");
}

TEST(JsonSchema, LoopingRefFailsInsteadOfRecursingForever) {
  const auto v = validate(
      R"({"$defs":{"a":{"$ref":"#/$defs/b"},"b":{"$ref":"#/$defs/a"}},"$ref":"#/$defs/a"})", "1");
  ASSERT_EQ(v.size(), 1u);
  EXPECT_EQ(v[0].rule, "schema");
}

std::string findings(const std::string& schema) {
  std::string out;
  for (const auto& f : check_json_schema(parse(schema))) out += f.path + " " + f.code + ";";
  return out;
}

TEST(JsonSchemaCheck, RefusesUnknownKeywordsByName) {
  EXPECT_EQ(findings(R"({"type":"string","format":"email"})"), "$.format unsupported_keyword;");
  EXPECT_EQ(findings(R"({"properties":{"a":{"nullable":true}}})"),
            "$.properties.a.nullable unsupported_keyword;");
  EXPECT_NE(check_json_schema(parse(R"({"format":"date"})"))[0].message.find("'format'"),
            std::string::npos);
  EXPECT_EQ(findings(R"({"title":"t","description":"d","$schema":"x","default":1,"examples":[]})"),
            "");
}

TEST(JsonSchemaCheck, RefusesMalformedValuesAndRefs) {
  EXPECT_EQ(findings(R"({"type":"text"})"), "$.type invalid_keyword;");
  EXPECT_EQ(findings(R"({"required":"a"})"), "$.required invalid_keyword;");
  EXPECT_EQ(findings(R"({"minLength":-1})"), "$.minLength invalid_keyword;");
  EXPECT_EQ(findings(R"({"items":[1]})"), "$.items invalid_keyword;");
  EXPECT_EQ(findings(R"({"$ref":"#/$defs/missing"})"), "$.$ref unresolved_ref;");
  EXPECT_EQ(findings(R"({"$ref":"https://example.com/s.json"})"), "$.$ref unsupported_ref;");
  EXPECT_EQ(findings(R"({"$defs":{"a":{}},"properties":{"x":{"$ref":"#/$defs/a","minimum":1}}})"),
            "$.properties.x.$ref ambiguous_ref;");
  EXPECT_EQ(findings(R"j({"pattern":"(?=a)"})j"), "$.pattern unsupported_pattern;");
  EXPECT_EQ(findings("3"), "$ not_a_schema;");
}

TEST(JsonSchemaText, BindingForm) {
  EXPECT_EQ(
      validate_json_schema_text(R"({"type":"number"})", "\"x\""),
      R"({"errors":[{"message":"expected number, got string","path":"$","rule":"type"}],"valid":false})");
  EXPECT_EQ(validate_json_schema_text(R"({"type":"number"})", "1"),
            R"({"errors":[],"valid":true})");
  EXPECT_EQ(
      validate_json_schema_text("{", "1"),
      R"({"errors":[{"message":"the schema is not valid JSON","path":"$","rule":"schema"}],"valid":false})");
  EXPECT_NE(validate_json_schema_text(R"({"format":"uri"})", "1").find(R"("rule":"schema")"),
            std::string::npos);
}

bool matches(const std::string& pattern, const std::string& text) {
  detail::SchemaRegex re;
  std::string error;
  EXPECT_TRUE(re.compile(pattern, error)) << pattern << ": " << error;
  return re.search(text);
}

TEST(SchemaRegex, EcmaSubset) {
  EXPECT_TRUE(matches("^[A-Z]{2}-\\d{3,}$", "AB-1234"));
  EXPECT_FALSE(matches("^[A-Z]{2}-\\d{3,}$", "AB-12"));
  EXPECT_TRUE(matches("b+", "aabbc"));  // unanchored search
  EXPECT_TRUE(matches("^(cat|dog)s?$", "dogs"));
  EXPECT_FALSE(matches("^(cat|dog)s?$", "cow"));
  EXPECT_TRUE(matches("^[^@\\s]+@[^@\\s]+\\.[a-z]{2,}$", "a.b@example.org"));
  EXPECT_TRUE(matches("^.$", "é"));  // code points, not bytes
  EXPECT_TRUE(matches("^\\u00e9\\x41$", "éA"));
  EXPECT_TRUE(matches("^(?:a|b)*c$", "ababc"));
  EXPECT_TRUE(matches("^(a*)*$", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab") == false);  // linear time
}

TEST(SchemaRegex, RefusesWhatItDoesNotImplement) {
  for (const char* p :
       {"(?=x)", "(a)\\1", "\\bword", "\\p{L}", "(", "[a", "a{3,1}", "*a", "(?<n>x)"}) {
    detail::SchemaRegex re;
    std::string error;
    EXPECT_FALSE(re.compile(p, error)) << p;
    EXPECT_FALSE(error.empty()) << p;
  }
}

}  // namespace
}  // namespace llmbase
