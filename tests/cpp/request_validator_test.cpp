// GoogleTest: request validation rules (table-driven), messages and the shared parity fixtures.
#include "core/request_validator.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

namespace llmbase {
namespace {

using nlohmann::json;
namespace fc = finding_code;

json parse(const std::string& text) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

// A small catalog with one model per capability gap.
const ModelCatalog& test_catalog() {
  static const ModelCatalog catalog = ModelCatalog::parse(parse(R"({"data":[
    {"id":"full","supported_features":["tools","json_mode","structured_outputs","logprobs"],
     "supported_parameters":["reasoning_effort"],"input_modalities":["text","image","file"],
     "context_length":100000,"max_output_length":8000},
    {"id":"plain","supported_features":[],"supported_parameters":[],"input_modalities":["text"],
     "context_length":120,"max_output_length":100},
    {"id":"jsonmode","supported_features":["json_mode"],"input_modalities":["text","image"]},
    {"id":"bare"}]})"));
  return catalog;
}

struct Expect {
  std::string path;
  const char* code;
  Severity severity;
};
constexpr Severity E = Severity::kError;
constexpr Severity W = Severity::kWarning;

struct Case {
  const char* name;
  const char* model;  // model looked up in test_catalog(); nullptr = unknown model
  const char* extra;  // members merged into {"model":…, "messages":[user "hi"]}
  std::vector<Expect> expected;
};

const std::vector<Case>& cases() {
  static const std::vector<Case> all = {
      {"valid", "full", R"({})", {}},
      {"model_missing", "full", R"({"model":null})", {{"model", fc::kMissingField, E}}},
      {"model_type", "full", R"({"model":1})", {{"model", fc::kInvalidType, E}}},
      {"model_empty", "full", R"({"model":" "})", {{"model", fc::kInvalidValue, E}}},
      {"messages_missing", "full", R"({"messages":null})", {{"messages", fc::kMissingField, E}}},
      {"messages_type", "full", R"({"messages":{}})", {{"messages", fc::kInvalidType, E}}},
      {"messages_empty", "full", R"({"messages":[]})", {{"messages", fc::kEmptyArray, E}}},
      {"role",
       "full",
       R"({"messages":[{"role":"developer","content":"x"}]})",
       {{"messages[0].role", fc::kInvalidValue, E}}},
      {"tool_call_id",
       "full",
       R"({"messages":[{"role":"tool","content":"x"}]})",
       {{"messages[0].tool_call_id", fc::kMissingField, E}}},
      {"tool_content",
       "full",
       R"({"messages":[{"role":"tool","tool_call_id":"a","content":[]}]})",
       {{"messages[0].content", fc::kInvalidType, E}}},
      {"part_type_warning",
       "full",
       R"({"messages":[{"role":"user","content":[{"type":"video"}]}]})",
       {{"messages[0].content[0].type", fc::kInvalidValue, W}}},
      {"temperature", "full", R"({"temperature":2.01})", {{"temperature", fc::kOutOfRange, E}}},
      {"top_p", "full", R"({"top_p":-0.5})", {{"top_p", fc::kOutOfRange, E}}},
      {"frequency_penalty",
       "full",
       R"({"frequency_penalty":"x"})",
       {{"frequency_penalty", fc::kInvalidType, E}}},
      {"presence_penalty",
       "full",
       R"({"presence_penalty":-2.5})",
       {{"presence_penalty", fc::kOutOfRange, E}}},
      {"stop_string_ok", "full", R"({"stop":"END"})", {}},
      {"stop_too_many",
       "full",
       R"({"stop":["a","b","c","d","e"]})",
       {{"stop", fc::kTooManyItems, E}}},
      {"seed", "full", R"({"seed":"7"})", {{"seed", fc::kInvalidType, E}}},
      {"max_tokens_negative", "full", R"({"max_tokens":-1})", {{"max_tokens", fc::kOutOfRange, E}}},
      {"max_tokens_limit",
       "full",
       R"({"max_tokens":8001})",
       {{"max_tokens", fc::kExceedsMaxOutput, E}}},
      {"max_completion_tokens_limit",
       "full",
       R"({"max_completion_tokens":9000})",
       {{"max_completion_tokens", fc::kExceedsMaxOutput, E}}},
      {"tools",
       "plain",
       R"({"tools":[{"type":"function","function":{"name":"f"}}]})",
       {{"tools", fc::kUnsupportedFeature, E}}},
      {"tool_choice",
       "plain",
       R"({"tool_choice":"auto"})",
       {{"tool_choice", fc::kUnsupportedFeature, E}}},
      {"tool_choice_value",
       "full",
       R"({"tool_choice":"always"})",
       {{"tool_choice", fc::kInvalidValue, E}}},
      {"json_object",
       "plain",
       R"({"response_format":{"type":"json_object"}})",
       {{"response_format.type", fc::kUnsupportedFeature, E}}},
      {"json_object_json_mode", "jsonmode", R"({"response_format":{"type":"json_object"}})", {}},
      {"json_schema_json_mode",
       "jsonmode",
       R"({"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{}}}})",
       {{"response_format.type", fc::kJsonSchemaNeedsStructuredOutputs, W}}},
      {"json_schema_plain",
       "plain",
       R"({"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{}}}})",
       {{"response_format.type", fc::kUnsupportedFeature, E}}},
      {"json_schema_shape",
       "full",
       R"({"response_format":{"type":"json_schema","json_schema":{"name":"","schema":[]}}})",
       {{"response_format.json_schema.name", fc::kInvalidValue, E},
        {"response_format.json_schema.schema", fc::kInvalidType, E}}},
      {"logprobs", "plain", R"({"logprobs":true})", {{"logprobs", fc::kUnsupportedFeature, E}}},
      {"top_logprobs",
       "plain",
       R"({"logprobs":true,"top_logprobs":1})",
       {{"logprobs", fc::kUnsupportedFeature, E}, {"top_logprobs", fc::kUnsupportedFeature, E}}},
      {"reasoning_effort",
       "plain",
       R"({"reasoning_effort":"low"})",
       {{"reasoning_effort", fc::kUnsupportedParameter, E}}},
      {"reasoning_effort_ok", "full", R"({"reasoning_effort":"low"})", {}},
      {"image",
       "plain",
       R"({"messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"u"}}]}]})",
       {{"messages[0].content[0].image_url", fc::kUnsupportedModality, E}}},
      {"file",
       "jsonmode",
       R"({"messages":[{"role":"user","content":[{"type":"file","file":{}}]}]})",
       {{"messages[0].content[0].file", fc::kUnsupportedModality, E}}},
      // 60 characters: 15 + 4 + 3 = 22 estimated prompt tokens, + 100 > 120.
      {"context",
       "plain",
       R"({"messages":[{"role":"user","content":")"
       R"(123456789012345678901234567890123456789012345678901234567890"}],"max_tokens":100})",
       {{"max_tokens", fc::kContextOverflow, W}}},
      {"unknown_model",
       nullptr,
       R"({"tools":[{"type":"function","function":{"name":"f"}}]})",
       {{"model", fc::kUnknownModel, W}}},
      {"bare_model_skips_rules",
       "bare",
       R"({"logprobs":true,"reasoning_effort":"high","max_tokens":999999})",
       {}},
  };
  return all;
}

json request_for(const Case& c) {
  json request = {{"model", c.model ? c.model : "not/listed"},
                  {"messages", json::array({{{"role", "user"}, {"content", "hi"}}})}};
  const json extra = parse(c.extra);
  for (const auto& [key, value] : extra.items()) request[key] = value;
  return request;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.path + " " + f.code + " " + severity_name(f.severity) + ": " + f.message + "\n";
  }
  return out;
}

TEST(RequestValidator, TableOfRules) {
  for (const Case& c : cases()) {
    SCOPED_TRACE(c.name);
    const ModelInfo* model = c.model ? test_catalog().find(c.model) : nullptr;
    auto findings = validate_request(request_for(c), model, &test_catalog());
    ASSERT_EQ(findings.size(), c.expected.size()) << describe(findings);
    for (std::size_t i = 0; i < findings.size(); ++i) {
      EXPECT_EQ(findings[i].path, c.expected[i].path) << describe(findings);
      EXPECT_EQ(findings[i].code, c.expected[i].code) << describe(findings);
      EXPECT_EQ(findings[i].severity, c.expected[i].severity) << describe(findings);
      EXPECT_FALSE(findings[i].message.empty());
    }
  }
}

TEST(RequestValidator, TableCoversEveryRequestCode) {
  std::set<std::string> seen;
  for (const Case& c : cases()) {
    for (const auto& e : c.expected) seen.insert(e.code);
  }
  for (const char* code :
       {fc::kMissingField, fc::kInvalidType, fc::kInvalidValue, fc::kEmptyArray, fc::kOutOfRange,
        fc::kTooManyItems, fc::kUnknownModel, fc::kUnsupportedFeature, fc::kUnsupportedParameter,
        fc::kUnsupportedModality, fc::kJsonSchemaNeedsStructuredOutputs, fc::kExceedsMaxOutput,
        fc::kContextOverflow}) {
    EXPECT_TRUE(seen.count(code)) << code;
  }
}

TEST(RequestValidator, NotAnObjectIsOneFinding) {
  auto findings = validate_request(json::array(), nullptr);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].path, "");
  EXPECT_EQ(findings[0].code, fc::kInvalidType);
  EXPECT_TRUE(has_errors(findings));
}

TEST(RequestValidator, CapabilityMessagesNameModelsThatDo) {
  json request = parse(R"({"model":"plain","messages":[{"role":"user","content":"hi"}],
                           "tools":[{"type":"function","function":{"name":"f"}}]})");
  auto findings = validate_request(request, test_catalog().find("plain"), &test_catalog());
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_NE(findings[0].message.find("plain does not support tool calling"), std::string::npos);
  EXPECT_NE(findings[0].message.find("models that do: full."), std::string::npos)
      << findings[0].message;
  // Without a catalog there is nothing to suggest, but the fix is still named.
  findings = validate_request(request, test_catalog().find("plain"));
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].message.find("models that do"), std::string::npos);
  EXPECT_NE(findings[0].message.find("remove 'tools'"), std::string::npos);
}

TEST(RequestValidator, SuggestsAtMostThreeModelsAndSaysWhenNoneFits) {
  json list = json::array();
  for (int i = 0; i < 6; ++i) {
    list.push_back({{"id", "m" + std::to_string(i)},
                    {"supported_features", i == 0 ? json::array() : json::array({"tools"})}});
  }
  ModelCatalog catalog = ModelCatalog::parse(list);
  json request = parse(R"({"model":"m0","messages":[{"role":"user","content":"hi"}],
                           "tools":[{"type":"function","function":{"name":"f"}}],
                           "reasoning_effort":"low"})");
  auto findings = validate_request(request, catalog.find("m0"), &catalog);
  ASSERT_EQ(findings.size(), 1u);  // no supported_parameters list: reasoning_effort not judged
  EXPECT_NE(findings[0].message.find("models that do: m1, m2, m3."), std::string::npos)
      << findings[0].message;

  json wide = parse(R"({"model":"plain","messages":[{"role":"user","content":"hi"}],
                        "max_tokens":50000})");
  findings = validate_request(wide, test_catalog().find("plain"), &test_catalog());
  ASSERT_EQ(findings.size(), 2u);  // exceeds_max_output, then context_overflow
  EXPECT_NE(findings[0].message.find("no model in the metadata does"), std::string::npos);
  EXPECT_NE(findings[1].message.find("models with that much context: full"), std::string::npos);
}

TEST(RequestValidator, AllowParamsDropsEveryFindingOfTheParameter) {
  json request = parse(R"({"model":"plain","messages":[{"role":"user","content":"hi"}],
                           "tools":[{"type":"nope"}],"tool_choice":"auto","temperature":7})");
  ValidationOptions options;
  options.allow_params = {"tools", "temperature"};
  auto findings = validate_request(request, test_catalog().find("plain"), nullptr, options);
  ASSERT_EQ(findings.size(), 1u) << describe(findings);
  EXPECT_EQ(findings[0].path, "tool_choice");
}

TEST(RequestValidator, JsonHelperHasAStableByteForm) {
  std::string out = validate_request_json(
      R"({"model":"plain","messages":[{"role":"user","content":"hi"}],"temperature":3})",
      R"({"id":"plain"})", "");
  EXPECT_EQ(out,
            R"({"ok":false,"findings":[{"path":"temperature","code":"out_of_range",)"
            R"("severity":"error","message":"'temperature' must be between 0 and 2, got 3."}]})");
  EXPECT_EQ(validate_request_json(R"({"model":"a","messages":[{"role":"user","content":"x"}]})",
                                  R"([{"id":"a"}])", R"({"allow_params":[]})"),
            R"({"ok":true,"findings":[]})");
}

TEST(RequestValidator, JsonHelperReportsUnusableInputs) {
  auto codes = [](const std::string& out) {
    std::vector<std::string> list;
    const json result = parse(out);
    for (const auto& f : result["findings"]) list.push_back(f["code"].get<std::string>());
    return list;
  };
  const std::string ok_request = R"({"model":"a","messages":[{"role":"user","content":"x"}]})";
  EXPECT_EQ(codes(validate_request_json("{not json", "", "")),
            (std::vector<std::string>{fc::kInvalidJson}));
  EXPECT_EQ(codes(validate_request_json(ok_request, R"({"error":"x"})", "")),
            (std::vector<std::string>{fc::kInvalidMetadata, fc::kUnknownModel}));
  EXPECT_EQ(codes(validate_request_json(ok_request, R"({"id":"a"})", R"({"allow_params":"x"})")),
            (std::vector<std::string>{fc::kInvalidOptions}));
  EXPECT_EQ(codes(validate_request_json(ok_request, "", "")),
            (std::vector<std::string>{fc::kUnknownModel}));
  EXPECT_FALSE(parse(validate_request_json("[1", "", ""))["ok"].get<bool>());
}

TEST(RequestValidator, ParsesOptions) {
  ValidationOptions options;
  EXPECT_TRUE(parse_validation_options(parse(R"({"allow_params":["a","b"],"x":1})"), options));
  EXPECT_EQ(options.allow_params, (std::vector<std::string>{"a", "b"}));
  EXPECT_TRUE(parse_validation_options(nullptr, options));
  EXPECT_TRUE(options.allow_params.empty());
  EXPECT_FALSE(parse_validation_options(parse(R"({"allow_params":[1]})"), options));
  EXPECT_FALSE(parse_validation_options(parse("[]"), options));
}

// ---- Shared parity fixtures: tests/fixtures/validation/cases.json (README there) ----

std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(LLMBASE_FIXTURES_DIR) + "/validation/" + name, std::ios::binary);
  EXPECT_TRUE(in.good()) << name;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The metadata member: absent/null = none, a string = a file in the fixture folder, else JSON.
std::string metadata_text(const json& c) {
  auto it = c.find("metadata");
  if (it == c.end() || it->is_null()) return "";
  if (it->is_string()) return read_fixture(it->get<std::string>());
  return it->dump();
}

TEST(ValidationFixtures, EveryCaseMatchesPathCodeSeverityAndOrder) {
  json all = parse(read_fixture("cases.json"));
  ASSERT_TRUE(all.is_array());
  EXPECT_GE(all.size(), 40u);
  std::set<std::string> names;
  for (const auto& c : all) {
    const std::string name = c.value("name", "");
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    std::string options = c.contains("options") ? c["options"].dump() : "";
    json got = parse(validate_request_json(c["request"].dump(), metadata_text(c), options));
    const json& expected = c["expected"];
    EXPECT_EQ(got["ok"], expected["ok"]) << got.dump(2);
    json trimmed = json::array();
    for (const auto& f : got["findings"]) {
      trimmed.push_back({{"path", f["path"]}, {"code", f["code"]}, {"severity", f["severity"]}});
    }
    EXPECT_EQ(trimmed, expected["findings"]) << got.dump(2);
  }
}

// The routing test of the browsers' chat module, which has no schema validator (request_schema_scope.cpp).
TEST(RequestCarriesJsonSchema, ToolParametersAndJsonSchemaFormatsOnly) {
  EXPECT_TRUE(request_carries_json_schema(parse(
      R"({"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]})")));
  // Any parameters member, even one the validator will refuse as not an object: the full core
  // reports it the same way, and a superset only costs a module load.
  EXPECT_TRUE(request_carries_json_schema(
      parse(R"({"tools":[{"type":"function","function":{"name":"f","parameters":3}}]})")));
  EXPECT_TRUE(request_carries_json_schema(parse(
      R"({"response_format":{"type":"json_schema","json_schema":{"name":"n","schema":{}}}})")));
  EXPECT_TRUE(request_carries_json_schema(parse(R"({"response_format":{"type":"json_schema"}})")));
  EXPECT_FALSE(request_carries_json_schema(parse(R"({"response_format":{"type":"json_object"}})")));
  EXPECT_FALSE(request_carries_json_schema(
      parse(R"({"tools":[{"type":"function","function":{"name":"f"}}]})")));
  EXPECT_FALSE(request_carries_json_schema(parse(R"({"model":"m","messages":[]})")));
  EXPECT_FALSE(request_carries_json_schema(parse("[1]")));
  EXPECT_FALSE(request_carries_json_schema(json()));
}

}  // namespace
}  // namespace llmbase
