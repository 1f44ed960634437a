// GoogleTest: prompt-token estimate (matching the local server), cost ceiling and usage cost.
#include "core/cost.h"
#include "test_json.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>

namespace llmbase {
namespace {

using nlohmann::json;

using testing::parse;

ModelInfo model(const std::string& entry) {
  auto info = parse_model_info(parse(entry));
  EXPECT_TRUE(info.has_value()) << entry;
  return info.value_or(ModelInfo());
}

TEST(Cost, TextTokensAreCodePointsOverFourRoundedUp) {
  EXPECT_EQ(estimate_text_tokens(""), 0);
  EXPECT_EQ(estimate_text_tokens("a"), 1);
  EXPECT_EQ(estimate_text_tokens("abcd"), 1);
  EXPECT_EQ(estimate_text_tokens("abcde"), 2);
  EXPECT_EQ(estimate_text_tokens("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"), 1);  // "éééé": 8 bytes
  EXPECT_EQ(estimate_text_tokens("\xE4\xBD\xA0\xE5\xA5\xBD\xE4\xB8\x96\xE7\x95\x8C!"),
            2);                                            // 你好世界!
  EXPECT_EQ(estimate_text_tokens("\xF0\x9F\x98\x80"), 1);  // one emoji, 4 bytes
}

TEST(Cost, MessageTokensCountFramingTextAttachmentsAndToolCalls) {
  EXPECT_EQ(estimate_message_tokens(parse(R"({"role":"user","content":"hi"})")), 4 + 1);
  EXPECT_EQ(estimate_message_tokens(parse(R"({"role":"user","name":"alice","content":"hi"})")),
            4 + 2 + 1);
  EXPECT_EQ(estimate_message_tokens(parse(R"({"role":"user","content":[
      {"type":"text","text":"12345"},{"type":"image_url","image_url":{"url":"u"}},
      {"type":"file","file":{}},{"type":"input_audio"}]})")),
            4 + 2 + 2 * kAttachmentTokens);
  EXPECT_EQ(estimate_message_tokens(parse(R"({"role":"assistant","content":null,"tool_calls":[
      {"id":"c","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]})")),
            4 + 3 + 4);
  EXPECT_EQ(estimate_message_tokens(parse(R"("not a message")")), 4);
}

// Golden values: usage.prompt_tokens the local server (src/js/server) returned for these bodies.
TEST(Cost, PromptEstimateMatchesTheLocalServer) {
  struct Row {
    const char* body;
    long long server_prompt_tokens;
  };
  const char* tools =
      R"([{"type":"function","function":{"name":"get_weather","description":"Weather for a city",)"
      R"("parameters":{"type":"object","properties":{"city":{"type":"string"},"days":)"
      R"({"type":"integer","minimum":1,"maximum":14}},"required":["city"]}}}])";
  for (
      const Row& r : {
          Row{R"({"messages":[{"role":"user","content":"hi"}]})", 8},
          Row{R"({"messages":[{"role":"user","content":""}]})", 7},
          Row{R"({"messages":[{"role":"system","content":"You are terse."},)"
              R"({"role":"user","content":"Summarise the plot of Hamlet in one line."}]})",
              26},
          Row{R"({"messages":[{"role":"user","content":"你好，世界。今天天气怎么样？"}]})", 11},
          Row{R"({"messages":[{"role":"user","content":[{"type":"text","text":"What is in )"
              R"(this image?"},{"type":"image_url","image_url":{"url":"https://e.com/a.png"}}]}]})",
              98},
      }) {
    EXPECT_EQ(estimate_prompt_tokens(parse(r.body)), r.server_prompt_tokens) << r.body;
  }
  json with_tools = parse(R"({"messages":[{"role":"user","content":"weather?"}]})");
  with_tools["tools"] = parse(tools);
  EXPECT_EQ(estimate_prompt_tokens(with_tools), 67);
  EXPECT_EQ(estimate_prompt_tokens(parse("[]")), kReplyPrimingTokens);  // never fails
}

TEST(Cost, RequestedMaxTokensPrefersMaxCompletionTokens) {
  EXPECT_EQ(requested_max_tokens(parse(R"({"max_tokens":10})")), 10);
  EXPECT_EQ(requested_max_tokens(parse(R"({"max_tokens":10,"max_completion_tokens":20})")), 20);
  EXPECT_EQ(requested_max_tokens(parse(R"({"max_tokens":10,"max_completion_tokens":0})")), 10);
  EXPECT_EQ(requested_max_tokens(parse(R"({"max_tokens":"10"})")), std::nullopt);
  EXPECT_EQ(requested_max_tokens(parse(R"({})")), std::nullopt);
}

TEST(Cost, EstimateIsAnUpperBoundAtInputAndOutputPrices) {
  ModelInfo flash = model(R"({"id":"f","max_output_length":32768,
      "pricing":{"input":0.2,"output":0.3,"input_cache_read":0.02}})");
  json request = parse(R"({"model":"f","messages":[{"role":"user","content":"hi"}],
                           "max_tokens":1000})");
  CostEstimate e = estimate_cost(request, &flash);
  EXPECT_EQ(e.prompt_tokens, 8);
  EXPECT_EQ(e.max_completion_tokens, 1000);
  EXPECT_TRUE(e.priced);
  ASSERT_TRUE(e.max_cost_usd.has_value());
  EXPECT_NEAR(*e.max_cost_usd, (8 * 0.2 + 1000 * 0.3) / 1e6, 1e-15);

  request.erase("max_tokens");  // no cap: the model's max_output_length bounds the reply
  e = estimate_cost(request, &flash);
  EXPECT_EQ(e.max_completion_tokens, 32768);
  EXPECT_NEAR(*e.max_cost_usd, (8 * 0.2 + 32768 * 0.3) / 1e6, 1e-15);
}

TEST(Cost, EstimateWithoutPricesOrBoundsHasNoCost) {
  json request = parse(R"({"messages":[{"role":"user","content":"hi"}]})");
  CostEstimate unknown = estimate_cost(request, nullptr);
  EXPECT_EQ(unknown.prompt_tokens, 8);
  EXPECT_FALSE(unknown.max_completion_tokens.has_value());
  EXPECT_FALSE(unknown.priced);
  EXPECT_FALSE(unknown.max_cost_usd.has_value());

  ModelInfo unpriced = model(R"({"id":"u","max_output_length":100})");
  CostEstimate e = estimate_cost(request, &unpriced);
  EXPECT_EQ(e.max_completion_tokens, 100);
  EXPECT_FALSE(e.priced);
  EXPECT_FALSE(e.max_cost_usd.has_value());

  ModelInfo unbounded = model(R"({"id":"p","pricing":{"input":1,"output":1}})");
  e = estimate_cost(request, &unbounded);
  EXPECT_TRUE(e.priced);
  EXPECT_FALSE(e.max_cost_usd.has_value());  // no cap and no max_output_length: no ceiling
}

TEST(Cost, ActualCostBillsCachedTokensAtTheCacheReadPrice) {
  ModelInfo flash = model(R"({"id":"f","pricing":{"input":0.2,"output":0.3,
                                                   "input_cache_read":0.02}})");
  json usage = parse(R"({"prompt_tokens":1000,"completion_tokens":200,"total_tokens":1200,
                         "prompt_tokens_details":{"cached_tokens":400}})");
  UsageCost c = actual_cost(usage, &flash);
  EXPECT_EQ(c.prompt_tokens, 1000);
  EXPECT_EQ(c.completion_tokens, 200);
  EXPECT_EQ(c.cached_tokens, 400);
  ASSERT_TRUE(c.cost_usd.has_value());
  EXPECT_NEAR(*c.cost_usd, (600 * 0.2 + 400 * 0.02 + 200 * 0.3) / 1e6, 1e-15);

  // No input_cache_read price: cached tokens cost the normal input price (llmbase-api.md §9).
  ModelInfo no_cache = model(R"({"id":"n","pricing":{"input":0.2,"output":0.3}})");
  EXPECT_NEAR(*actual_cost(usage, &no_cache).cost_usd, (1000 * 0.2 + 200 * 0.3) / 1e6, 1e-15);
}

TEST(Cost, ActualCostIsTolerant) {
  ModelInfo m = model(R"({"id":"m","pricing":{"input":1,"output":2}})");
  // A whole completion is accepted; cached tokens never exceed prompt tokens.
  UsageCost c = actual_cost(parse(R"({"id":"x","usage":{"prompt_tokens":10,"completion_tokens":5,
      "prompt_tokens_details":{"cached_tokens":50}}})"),
                            &m);
  EXPECT_EQ(c.prompt_tokens, 10);
  EXPECT_EQ(c.cached_tokens, 10);
  EXPECT_NEAR(*c.cost_usd, (10 * 1 + 5 * 2) / 1e6, 1e-15);
  c = actual_cost(parse(R"({"prompt_tokens":"10","completion_tokens":-3})"), &m);
  EXPECT_EQ(c.prompt_tokens, 0);
  EXPECT_EQ(c.completion_tokens, 0);
  EXPECT_FALSE(actual_cost(parse(R"({"prompt_tokens":1})"), nullptr).cost_usd.has_value());
}

TEST(CostJson, EstimateHasAStableByteForm) {
  const std::string request =
      R"({"model":"a","messages":[{"role":"user","content":"hi"}],"max_tokens":100})";
  EXPECT_EQ(
      estimate_cost_json(request, R"({"data":[{"id":"a","pricing":{"input":1,"output":2}}]})"),
      R"({"ok":true,"model":"a","prompt_tokens":8,"max_completion_tokens":100,)"
      R"("max_cost_usd":0.000208,"priced":true})");
  EXPECT_EQ(estimate_cost_json(R"({"model":"zz","messages":[]})", ""),
            R"({"ok":true,"model":null,"prompt_tokens":3,"max_completion_tokens":null,)"
            R"("max_cost_usd":null,"priced":false})");
  EXPECT_EQ(parse(estimate_cost_json("nope", ""))["error"]["code"], "invalid_json");
  EXPECT_EQ(parse(estimate_cost_json(request, "{}"))["error"]["code"], "invalid_metadata");
}

TEST(CostJson, ActualCostLooksUpTheModel) {
  const std::string metadata = R"([{"id":"a","pricing":{"input":1,"output":2}}])";
  const std::string usage = R"({"prompt_tokens":10,"completion_tokens":5})";
  EXPECT_EQ(actual_cost_json(usage, metadata, "a"),
            R"({"ok":true,"model":"a","prompt_tokens":10,"completion_tokens":5,)"
            R"("cached_tokens":0,"cost_usd":2e-05,"priced":true})");
  // Without an id, a whole completion's `model` names it.
  json response = {{"model", "a"}, {"usage", parse(usage)}};
  EXPECT_EQ(parse(actual_cost_json(response.dump(), metadata))["model"], "a");
  EXPECT_EQ(parse(actual_cost_json(usage, metadata))["priced"], false);
  EXPECT_EQ(parse(actual_cost_json("[", metadata))["ok"], false);
}

TEST(CostBill, UnderFallbackTheCheaperOfRequestedAndServedIsBilled) {
  const ModelCatalog catalog = ModelCatalog::parse(parse(R"([
      {"id":"dear","pricing":{"input":10,"output":20}},
      {"id":"cheap","pricing":{"input":1,"output":2}},
      {"id":"free-text"}])"));
  const json usage = parse(R"({"prompt_tokens":1000,"completion_tokens":500})");
  // Served by a cheaper model: billed at its prices.
  CompletionBill bill = bill_completion(usage, catalog, "dear", "cheap");
  ASSERT_NE(bill.model, nullptr);
  EXPECT_EQ(bill.model->id, "cheap");
  EXPECT_DOUBLE_EQ(*bill.cost.cost_usd, 0.002);
  // Served by a dearer one: the requested model's prices hold.
  EXPECT_EQ(bill_completion(usage, catalog, "cheap", "dear").model->id, "cheap");
  // No served header, or the same model: the requested model.
  EXPECT_EQ(bill_completion(usage, catalog, "dear", "").model->id, "dear");
  // An unpriced requested model: the served model's price is the only one known.
  EXPECT_EQ(bill_completion(usage, catalog, "free-text", "cheap").model->id, "cheap");
  // An unknown served model leaves the requested one.
  EXPECT_EQ(bill_completion(usage, catalog, "dear", "gone").model->id, "dear");
  EXPECT_EQ(parse(completion_bill_json(usage, catalog, "dear", "cheap"))["model"], "cheap");
}

TEST(CostBill, FixedDecimalsRoundWithoutTheLocale) {
  EXPECT_EQ(fixed_decimals(12.34559, 4), "12.3456");
  EXPECT_EQ(fixed_decimals(0.000123, 6), "0.000123");
  EXPECT_EQ(fixed_decimals(-1.5, 2), "-1.50");
  EXPECT_EQ(fixed_decimals(-0.00001, 4), "0.0000");  // no "-0.0000"
  EXPECT_EQ(fixed_decimals(2.5, 0), "3");
  EXPECT_EQ(fixed_decimals(10, 4), "10.0000");
}

}  // namespace
}  // namespace llmbase
