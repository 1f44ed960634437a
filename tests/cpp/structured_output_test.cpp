// GoogleTest: structured outputs checked against response_format's schema (parse()).
#include <gtest/gtest.h>

#include <string>

#include "core/structured_output.h"
#include "test_json.h"

using nlohmann::json;

namespace llmbase {
namespace {

using testing::parse;

json request() {
  return parse(R"({"model":"m","messages":[],"response_format":{"type":"json_schema","json_schema":{
    "name":"order","strict":true,"schema":{"type":"object","properties":{"items":{"type":"array",
    "items":{"type":"object","properties":{"price":{"type":"number"}},"required":["price"]}}},
    "required":["items"]}}}})");
}

json completion(const std::string& content, const std::string& finish = "stop") {
  return {{"choices", json::array({{{"index", 0},
                                    {"finish_reason", finish},
                                    {"message", {{"role", "assistant"}, {"content", content}}}}})}};
}

TEST(StructuredOutput, ReturnsTheParsedValue) {
  const auto out = check_structured_output(request(), completion(R"({"items":[{"price":2}]})"));
  ASSERT_TRUE(out.ok) << out.message;
  EXPECT_EQ(out.parsed["items"][0]["price"], 2);
}

TEST(StructuredOutput, MismatchNamesPathAndRuleAndKeepsTheRawText) {
  const std::string raw = R"({"items":[{"price":1},{"price":2},{"price":"3"}]})";
  const auto out = check_structured_output(request(), completion(raw));
  EXPECT_FALSE(out.ok);
  EXPECT_EQ(out.code, "schema_mismatch");
  EXPECT_EQ(out.message, "$.items[2].price: expected number, got string");
  EXPECT_EQ(out.path, "$.items[2].price");
  EXPECT_EQ(out.rule, "type");
  EXPECT_EQ(out.raw, raw);
}

TEST(StructuredOutput, FinishReasonsAndBadJsonFail) {
  EXPECT_EQ(check_structured_output(request(), completion(R"({"items":[)", "length")).code,
            "length");
  EXPECT_EQ(check_structured_output(request(), completion("", "content_filter")).code,
            "content_filter");
  EXPECT_EQ(check_structured_output(request(), completion("Sure! {")).code, "invalid_json");
  EXPECT_EQ(check_structured_output(request(), parse("{}")).code, "invalid_completion");
}

TEST(StructuredOutput, JsonObjectParsesAndTextPassesThrough) {
  json req = request();
  req["response_format"] = {{"type", "json_object"}};
  EXPECT_EQ(check_structured_output(req, completion(R"({"any":1})")).parsed["any"], 1);
  req.erase("response_format");
  const auto out = check_structured_output(req, completion("hello"));
  EXPECT_TRUE(out.ok);
  EXPECT_TRUE(out.parsed.is_null());
}

TEST(StructuredOutput, RefusedSchemaIsAnError) {
  json req = request();
  req["response_format"]["json_schema"]["schema"]["properties"]["items"]["format"] = "x";
  const auto out = check_structured_output(req, completion(R"({"items":[]})"));
  EXPECT_EQ(out.code, "invalid_schema");
  EXPECT_NE(out.message.find("format"), std::string::npos);
}

TEST(StructuredOutput, BindingForm) {
  const std::string text =
      check_structured_output_text(request().dump(), completion(R"({"items":[{}]})").dump());
  EXPECT_EQ(
      parse(text)["error"],
      parse(
          R"({"code":"schema_mismatch","message":"$.items[0].price: required property is missing","path":"$.items[0].price","rule":"required"})"));
  EXPECT_EQ(parse(text)["raw"], R"({"items":[{}]})");
}

}  // namespace
}  // namespace llmbase
