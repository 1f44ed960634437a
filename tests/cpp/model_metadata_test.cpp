// GoogleTest: tolerant metadata parsing (list shapes, prices, unknown fields) and model lookups.
#include "core/model_metadata.h"
#include "test_json.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <string>

namespace llmbase {
namespace {

using nlohmann::json;

using testing::parse;

TEST(ModelCatalog, AcceptsEveryListShape) {
  struct Shape {
    const char* name;
    const char* text;
  };
  for (const Shape& s : {
           Shape{"data", R"({"object":"list","data":[{"id":"a"},{"id":"b"}]})"},
           Shape{"models", R"({"models":[{"id":"a"},{"id":"b"}]})"},
           Shape{"array", R"([{"id":"a"},{"id":"b"}])"},
       }) {
    SCOPED_TRACE(s.name);
    ModelCatalog catalog = ModelCatalog::parse(parse(s.text));
    EXPECT_TRUE(catalog.recognized());
    ASSERT_EQ(catalog.models().size(), 2u);
    EXPECT_EQ(catalog.models()[0].id, "a");
    EXPECT_EQ(catalog.models()[1].id, "b");
    EXPECT_EQ(catalog.skipped(), 0u);
  }
}

TEST(ModelCatalog, SingleEntryIsACatalogOfOne) {
  ModelCatalog catalog = ModelCatalog::parse(parse(R"({"id":"x/y","context_length":10})"));
  EXPECT_TRUE(catalog.recognized());
  ASSERT_NE(catalog.find("x/y"), nullptr);
  EXPECT_EQ(catalog.find("x/y")->context_length, 10);
}

TEST(ModelCatalog, SkipsAndCountsEntriesWithoutAStringId) {
  ModelCatalog catalog = ModelCatalog::parse(
      parse(R"({"data":[{"id":"ok"},{"id":7},{"name":"no id"},"text",null,{"id":""}]})"));
  EXPECT_EQ(catalog.models().size(), 1u);
  EXPECT_EQ(catalog.skipped(), 5u);
}

TEST(ModelCatalog, UnknownShapesAreNotRecognized) {
  for (const char* text : {R"({"error":{"message":"x"}})", "42", R"("models")", "{}"}) {
    ModelCatalog catalog = ModelCatalog::parse(parse(text));
    EXPECT_FALSE(catalog.recognized()) << text;
    EXPECT_TRUE(catalog.models().empty());
  }
}

TEST(ModelCatalog, ParseTextReportsValidity) {
  bool valid = false;
  EXPECT_TRUE(ModelCatalog::parse_text("  \n", &valid).models().empty());
  EXPECT_TRUE(valid);  // no metadata is not an error
  ModelCatalog::parse_text("{broken", &valid);
  EXPECT_FALSE(valid);
  ModelCatalog::parse_text(R"({"status":"ok"})", &valid);
  EXPECT_FALSE(valid);
  EXPECT_EQ(ModelCatalog::parse_text(R"([{"id":"a"}])", &valid).models().size(), 1u);
  EXPECT_TRUE(valid);
}

TEST(ModelCatalog, FindIsExactAndFirstWins) {
  ModelCatalog catalog = ModelCatalog::parse(
      parse(R"([{"id":"a","context_length":1},{"id":"a","context_length":2},{"id":"A"}])"));
  ASSERT_NE(catalog.find("a"), nullptr);
  EXPECT_EQ(catalog.find("a")->context_length, 1);
  EXPECT_EQ(catalog.find("a "), nullptr);  // ids are opaque: no trimming, no case folding
  ASSERT_NE(catalog.find("A"), nullptr);
  EXPECT_EQ(catalog.find("A")->id, "A");
}

TEST(ModelInfo, ReadsCapabilitiesAndLimits) {
  auto info = parse_model_info(parse(R"({"id":"m",
      "supported_features":["tools",3,"json_mode"],"supported_parameters":["reasoning_effort"],
      "input_modalities":["text","image"],"output_modalities":["text"],
      "context_length":131072,"max_output_length":"8192"})"));
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->supports_feature("tools"));
  EXPECT_TRUE(info->supports_feature("json_mode"));
  EXPECT_FALSE(info->supports_feature("logprobs"));
  EXPECT_EQ(info->supported_features->size(), 2u);  // the non-string item is dropped
  EXPECT_TRUE(info->supports_parameter("reasoning_effort"));
  EXPECT_TRUE(info->accepts_input("image"));
  EXPECT_FALSE(info->accepts_input("file"));
  EXPECT_EQ(info->context_length, 131072);
  EXPECT_EQ(info->max_output_length, 8192);  // numeric strings are tolerated
  EXPECT_FALSE(info->pricing.has_value());
}

TEST(ModelInfo, AbsentListsAreUnknownNotEmpty) {
  auto info = parse_model_info(parse(R"({"id":"m","supported_features":"tools",
                                         "context_length":0,"max_output_length":null})"));
  ASSERT_TRUE(info.has_value());
  EXPECT_FALSE(info->supported_features.has_value());  // not an array: not said
  EXPECT_FALSE(info->supported_parameters.has_value());
  EXPECT_FALSE(info->input_modalities.has_value());
  EXPECT_FALSE(info->context_length.has_value());  // 0 is no limit we can use
  EXPECT_FALSE(info->max_output_length.has_value());
  EXPECT_FALSE(info->supports_feature("tools"));
}

TEST(ModelInfo, PricingAcceptsNumbersStringsAndAliases) {
  struct Row {
    const char* pricing;
    bool priced;
    double input, output, cache_read;
    bool has_cache_read;
  };
  for (const Row& r : {
           Row{R"({"input":0.2,"output":0.3,"input_cache_read":0.02})", true, 0.2, 0.3, 0.02, true},
           Row{R"({"input":"0.20","output":"1.5e0"})", true, 0.2, 1.5, 0.2, false},
           Row{R"({"prompt":1,"completion":"4"})", true, 1, 4, 1, false},
           Row{R"({"input":0,"output":0})", true, 0, 0, 0, false},
           Row{R"({"input":2,"prompt":9,"output":3})", true, 2, 3, 2, false},  // input wins
           Row{R"({"input":1})", false, 0, 0, 0, false},
           Row{R"({"input":"free","output":1})", false, 0, 0, 0, false},
           Row{R"({"input":-1,"output":1})", false, 0, 0, 0, false},
           Row{R"({"input":"$1","output":1})", false, 0, 0, 0, false},
           Row{R"("0.2")", false, 0, 0, 0, false},
       }) {
    SCOPED_TRACE(r.pricing);
    auto info = parse_model_info(parse(std::string(R"({"id":"m","pricing":)") + r.pricing + "}"));
    ASSERT_TRUE(info.has_value());
    ASSERT_EQ(info->pricing.has_value(), r.priced);
    if (!r.priced) continue;
    EXPECT_DOUBLE_EQ(info->pricing->input, r.input);
    EXPECT_DOUBLE_EQ(info->pricing->output, r.output);
    EXPECT_EQ(info->pricing->input_cache_read.has_value(), r.has_cache_read);
    EXPECT_DOUBLE_EQ(info->pricing->cache_read_price(), r.cache_read);
  }
}

TEST(ModelInfo, KeepsUnknownFieldsAndNormalisesInJson) {
  auto info = parse_model_info(parse(R"({"id":"m","owned_by":"acme","prompt_cache_supported":true,
      "pricing":{"prompt":"0.5","completion":"1","request":"0.01"},"x-custom":{"a":[1]}})"));
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->raw["owned_by"], "acme");
  EXPECT_EQ(info->raw["x-custom"]["a"][0], 1);
  json out = info->to_json();
  EXPECT_EQ(out["owned_by"], "acme");
  EXPECT_EQ(out["prompt_cache_supported"], true);
  EXPECT_EQ(out["pricing"], parse(R"({"input":0.5,"output":1.0})"));
  EXPECT_TRUE(parse_model_info(parse(R"({"id":"n"})"))->to_json()["pricing"].is_null());
}

TEST(ModelMetadataJson, ReturnsNormalisedModels) {
  json out = parse(parse_model_metadata_json(R"({"models":[{"id":"a","pricing":{"input":"1",
      "output":2}},{"nope":1}]})"));
  EXPECT_EQ(out["ok"], true);
  EXPECT_EQ(out["skipped"], 1);
  ASSERT_EQ(out["models"].size(), 1u);
  EXPECT_EQ(out["models"][0]["pricing"]["input"], 1.0);
  json bad = parse(parse_model_metadata_json("nonsense"));
  EXPECT_EQ(bad["ok"], false);
  EXPECT_TRUE(bad["error"].is_string());
}

TEST(ModelCatalog, ParsesTheLocalServerCatalogFixture) {
  std::ifstream in(std::string(LLMBASE_FIXTURES_DIR) + "/validation/catalog.json");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  bool valid = false;
  ModelCatalog catalog = ModelCatalog::parse_text(text, &valid);
  ASSERT_TRUE(valid);
  EXPECT_EQ(catalog.models().size(), 11u);
  EXPECT_EQ(catalog.skipped(), 0u);
  for (const auto& m : catalog.models()) {
    SCOPED_TRACE(m.id);
    EXPECT_TRUE(m.pricing.has_value());
    EXPECT_TRUE(m.context_length.has_value());
    EXPECT_TRUE(m.supported_features.has_value());
  }
  const ModelInfo* ocr = catalog.find("paddlepaddle/paddleocr-vl-0.9b");
  ASSERT_NE(ocr, nullptr);
  EXPECT_TRUE(ocr->accepts_input("file"));
  EXPECT_EQ(ocr->max_output_length, 4096);
}

}  // namespace
}  // namespace llmbase
