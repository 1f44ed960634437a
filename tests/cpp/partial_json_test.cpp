// GoogleTest: the incremental JSON parser on cut-off prefixes of structured outputs.
#include <gtest/gtest.h>

#include <string>

#include "core/partial_json.h"

namespace llmbase {
namespace {

std::string p(const std::string& text) { return complete_partial_json(text); }

TEST(PartialJson, ClosesOpenStringsArraysAndObjects) {
  EXPECT_EQ(p(R"({"name":"Al)"), R"({"name":"Al"})");
  EXPECT_EQ(p(R"({"items":[{"a":1},{"b":[true,)"), R"({"items":[{"a":1},{"b":[true]}]})");
  EXPECT_EQ(p(R"(["x", "y)"), R"(["x", "y"])");  // cut and closed: spacing as received
  EXPECT_EQ(p("{"), "{}");
  EXPECT_EQ(p("["), "[]");
}

TEST(PartialJson, KeepsKeyOrder) { EXPECT_EQ(p(R"({"z":1,"a":2,"m":)"), R"({"z":1,"a":2})"); }

TEST(PartialJson, DropsKeysWithoutValuesAndGrowingScalars) {
  EXPECT_EQ(p(R"({"a":1,"b)"), R"({"a":1})");
  EXPECT_EQ(p(R"({"a":1,"b":)"), R"({"a":1})");
  EXPECT_EQ(p(R"({"a":12)"), "{}");  // 12 may become 123
  EXPECT_EQ(p(R"({"a":12,)"), R"({"a":12})");
  EXPECT_EQ(p(R"({"a":-)"), "{}");
  EXPECT_EQ(p(R"({"a":tr)"), "{}");
  EXPECT_EQ(p(R"({"a":true)"), R"({"a":true})");
  EXPECT_EQ(p(R"([1.5e)"), "[]");
}

TEST(PartialJson, DropsCutEscapesAndUtf8) {
  EXPECT_EQ(p(R"(["a\)"), R"(["a"])");
  EXPECT_EQ(p(R"(["a\u00)"), R"(["a"])");
  EXPECT_EQ(p(R"(["a\u00e9)"), R"(["a\u00e9"])");
  EXPECT_EQ(p(R"(["\ud83d)"), R"([""])");  // the low surrogate may follow
  EXPECT_EQ(p(R"(["\ud83d\ude00)"), R"(["\ud83d\ude00"])");
  EXPECT_EQ(p(R"(["a\\)"), R"(["a\\"])");  // an escaped backslash is complete
  EXPECT_EQ(p("[\"\xc3"), R"([""])");
}

TEST(PartialJson, NoValueYetOrNotJson) {
  EXPECT_EQ(p(""), "");
  EXPECT_EQ(p("  "), "");
  EXPECT_EQ(p("12"), "");
  EXPECT_EQ(p("{a"), "");
  EXPECT_EQ(p("[1 2"), "");
  EXPECT_EQ(p("{} x"), "");
  EXPECT_EQ(p("]"), "");  // closes nothing (found by the json_schema fuzz target)
  EXPECT_EQ(p("}"), "");
  EXPECT_EQ(p("[]]"), "");
  EXPECT_EQ(p(R"({"a":1})"), R"({"a":1})");
  EXPECT_EQ(p(std::string(100000, '[')), "");  // deeper than the core's JSON depth limit
}

TEST(PartialJson, EveryPrefixOfADocumentParses) {
  const std::string doc =
      R"({"title":"Caf\u00e9 \"menu\"","items":[{"name":"tea","price":2.5,"tags":["hot",null]},{"ok":false}],"n":-3e2})";
  std::string last;
  for (std::size_t i = 1; i <= doc.size(); ++i) {
    const std::string got = p(doc.substr(0, i));
    EXPECT_FALSE(got.empty()) << i;  // the object opens at byte 0
    last = got;
  }
  EXPECT_EQ(last, doc);
}

}  // namespace
}  // namespace llmbase
