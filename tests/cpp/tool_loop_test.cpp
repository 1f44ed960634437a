// GoogleTest: the tool runner's state machine (validation of calls, conversation, repairs, limits).
#include <gtest/gtest.h>

#include <string>

#include "core/tool_loop.h"
#include "test_json.h"

using nlohmann::json;

namespace llmbase {
namespace {

using testing::parse;

json params() {
  return parse(R"({"model":"m","messages":[{"role":"user","content":"Weather in Paris?"}],
    "tool_choice":"required",
    "tools":[{"type":"function","function":{"name":"get_weather","parameters":{"type":"object",
      "properties":{"city":{"type":"string"},"unit":{"enum":["c","f"]}},"required":["city"],
      "additionalProperties":false}}},
     {"type":"function","function":{"name":"now"}}]})");
}

json tool_calls(const std::string& calls) {
  return parse(R"({"choices":[{"index":0,"finish_reason":"tool_calls","message":{"role":"assistant",
      "content":null,"tool_calls":)" +
               calls + "}}]}");
}

json call(const std::string& id, const std::string& name, const std::string& args) {
  return {{"id", id}, {"type", "function"}, {"function", {{"name", name}, {"arguments", args}}}};
}

// The step after a completion: the loop's status as the JS shell reads it.
json step_of(ToolLoop& loop, const json& completion) {
  loop.on_completion(completion);
  return parse(loop.status());
}

json status(const ToolLoop& loop) { return parse(loop.status()); }

json reply(const std::string& text) {
  return {{"choices", json::array({{{"index", 0},
                                    {"finish_reason", "stop"},
                                    {"message", {{"role", "assistant"}, {"content", text}}}}})}};
}

TEST(ToolLoop, RunsParallelCallsAndBuildsTheConversation) {
  ToolLoop loop(params(), json());
  json req = loop.next_request();
  ASSERT_TRUE(req.is_object());
  EXPECT_EQ(req["tool_choice"], "required");
  auto step =
      step_of(loop, tool_calls(json::array({call("c1", "get_weather", R"({"city":"Paris"})"),
                                            call("c2", "now", "")})
                                   .dump()));
  ASSERT_EQ(step["kind"], "call_tools") << step.dump();
  ASSERT_EQ(step["calls"].size(), 2u);
  EXPECT_EQ(step["calls"][0]["valid"], true);
  EXPECT_EQ(step["calls"][0]["parsed"]["city"], "Paris");
  EXPECT_EQ(step["calls"][1]["valid"], true);  // no parameters: "" counts as {}
  EXPECT_TRUE(loop.next_request().is_null());  // results are missing
  EXPECT_TRUE(loop.add_tool_result("c2", "12:00"));
  EXPECT_FALSE(loop.add_tool_result("c2", "again"));  // answered already
  EXPECT_FALSE(loop.add_tool_result("nope", "x"));
  EXPECT_TRUE(loop.add_tool_result("c1", R"({"temp":21})"));
  req = loop.next_request();
  ASSERT_TRUE(req.is_object());
  EXPECT_EQ(req["tool_choice"], "auto");  // forced only for the first request
  const json& m = req["messages"];
  ASSERT_EQ(m.size(), 4u);
  EXPECT_EQ(m[1]["role"], "assistant");
  EXPECT_EQ(m[1]["tool_calls"][0]["id"], "c1");
  // Results follow the calls' order, not the order they arrived in.
  EXPECT_EQ(m[2], parse(R"({"role":"tool","tool_call_id":"c1","content":"{\"temp\":21}"})"));
  EXPECT_EQ(m[3]["tool_call_id"], "c2");
  EXPECT_EQ(step_of(loop, reply("21 degrees"))["kind"], "done");
  EXPECT_EQ(loop.messages().back()["content"], "21 degrees");
  EXPECT_EQ(loop.chat_completions(), 2);
}

TEST(ToolLoop, InvalidArgumentsGoBackToTheModel) {
  ToolLoop loop(params(), json());
  loop.next_request();
  auto step = step_of(loop, tool_calls(json::array({call("c1", "get_weather", R"({"city":5})"),
                                                    call("c2", "get_weather", "{oops"),
                                                    call("c3", "teleport", "{}")})
                                           .dump()));
  ASSERT_EQ(step["kind"], "call_tools");
  EXPECT_EQ(step["calls"][0]["valid"], false);
  EXPECT_NE(
      step["calls"][0]["error"].get<std::string>().find("$.city: expected string, got integer"),
      std::string::npos);
  EXPECT_NE(step["calls"][1]["error"].get<std::string>().find("not valid JSON"), std::string::npos);
  EXPECT_NE(step["calls"][2]["error"].get<std::string>().find("no tool named \"teleport\""),
            std::string::npos);
  EXPECT_FALSE(loop.add_tool_result("c1", "ran anyway"));  // the core answered it
  const json req = loop.next_request();  // nothing valid to run: the round is complete
  ASSERT_TRUE(req.is_object());
  const std::string result = req["messages"][2]["content"];
  EXPECT_EQ(result.rfind("Error: invalid arguments for tool \"get_weather\"", 0), 0u) << result;
}

TEST(ToolLoop, RepairsAreBounded) {
  ToolLoop loop(params(), parse(R"({"maxRepairs":1})"));
  const std::string bad = tool_calls(json::array({call("c", "get_weather", "{}")}).dump()).dump();
  loop.next_request();
  EXPECT_EQ(step_of(loop, parse(bad))["kind"], "call_tools");  // repair 1 of 1
  loop.next_request();
  auto step = step_of(loop, parse(bad));
  EXPECT_EQ(step["kind"], "error");
  EXPECT_EQ(step["error"]["code"], "max_repairs");
  EXPECT_EQ(loop.state(), ToolLoop::State::kError);
  EXPECT_TRUE(loop.next_request().is_null());
}

TEST(ToolLoop, ThrownErrorsCountAsRepairs) {
  ToolLoop loop(params(), parse(R"({"maxRepairs":0})"));
  loop.next_request();
  loop.on_completion(tool_calls(json::array({call("c", "now", "{}")}).dump()));
  EXPECT_TRUE(loop.add_tool_error("c", "clock unavailable"));
  EXPECT_TRUE(loop.next_request().is_null());
  EXPECT_EQ(status(loop)["error"]["code"], "max_repairs");
  EXPECT_NE(status(loop)["error"]["message"].get<std::string>().find("clock unavailable"),
            std::string::npos);
}

TEST(ToolLoop, StopsAtMaxChatCompletions) {
  ToolLoop loop(params(), parse(R"({"maxChatCompletions":2})"));
  const json calls = tool_calls(json::array({call("c", "now", "{}")}).dump());
  loop.next_request();
  ASSERT_EQ(step_of(loop, calls)["kind"], "call_tools");
  loop.add_tool_result("c", "noon");
  loop.next_request();
  auto step = step_of(loop, calls);
  EXPECT_EQ(step["error"]["code"], "max_chat_completions");
  EXPECT_NE(step["error"]["message"].get<std::string>().find("2 chat completions"),
            std::string::npos);
}

TEST(ToolLoop, RefusesUnusableParamsAndCompletions) {
  ToolLoop no_tools(parse(R"({"model":"m","messages":[{"role":"user","content":"x"}]})"), json());
  EXPECT_EQ(status(no_tools)["error"]["code"], "invalid_params");
  json bad_schema = params();
  bad_schema["tools"][0]["function"]["parameters"]["properties"]["city"]["format"] = "city";
  ToolLoop refused(bad_schema, json());
  EXPECT_EQ(refused.state(), ToolLoop::State::kError);
  EXPECT_NE(status(refused)["error"]["message"].get<std::string>().find("format"),
            std::string::npos);
  ToolLoop loop(params(), json());
  loop.next_request();
  EXPECT_EQ(step_of(loop, parse(R"({"choices":[]})"))["error"]["code"], "invalid_completion");
}

TEST(ToolLoop, RefusesBadOptionsNamingTheField) {
  ToolLoop zero(params(), parse(R"({"maxChatCompletions":0})"));
  EXPECT_EQ(zero.error_code(), "invalid_params");
  EXPECT_NE(zero.error_message().find("maxChatCompletions"), std::string::npos);
  ToolLoop text(params(), parse(R"({"maxRepairs":"2"})"));
  EXPECT_NE(text.error_message().find("maxRepairs"), std::string::npos);
  EXPECT_TRUE(text.next_request().is_null());
  ToolLoop fine(params(), parse(R"({"maxChatCompletions":3,"maxRepairs":0})"));
  EXPECT_EQ(fine.state(), ToolLoop::State::kReady);
}

}  // namespace
}  // namespace llmbase
