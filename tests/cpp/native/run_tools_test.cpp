// GoogleTest: Client::run_tools over libcurl against the local server, on the core's ToolLoop.
#include <gtest/gtest.h>

#include <string>

#include "llmbase/client.h"
#include "local_server.h"

using nlohmann::json;

namespace llmbase {
namespace {

class NativeToolRun : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::LocalServer(); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  void SetUp() override {
    ASSERT_TRUE(server_->ok()) << "the local server did not start (build dist/ first)";
  }

  static Client client() {
    ClientOptions o;
    o.api_key = "llmbase_native_tools_key";
    o.base_url = server_->url();
    return Client(o);
  }
  // A weather question with one tool whose `city` must match `pattern`.
  static json ask_weather(const std::string& pattern = "") {
    json city = {{"type", "string"}};
    if (!pattern.empty()) city["pattern"] = pattern;
    return {{"model", "deepseek/deepseek-v4-flash"},
            {"messages",
             json::array({{{"role", "user"}, {"content", "What is the weather in Paris?"}}})},
            {"tools", json::array({{{"type", "function"},
                                    {"function",
                                     {{"name", "get_weather"},
                                      {"parameters",
                                       {{"type", "object"},
                                        {"properties", {{"city", city}}},
                                        {"required", {"city"}}}}}}}})}};
  }
  static testing::LocalServer* server_;
};

testing::LocalServer* NativeToolRun::server_ = nullptr;

TEST_F(NativeToolRun, RunsTheToolAndReturnsTheAnswer) {
  Client c = client();
  std::string seen_city;
  std::map<std::string, ToolFunction> tools = {{"get_weather", [&](const json& args) {
                                                  seen_city = args["city"].get<std::string>();
                                                  return ToolOutcome{R"({"sky":"sunny"})"};
                                                }}};
  auto run = c.run_tools(ask_weather(), tools);
  ASSERT_TRUE(run.ok()) << run.error.message;
  EXPECT_EQ(seen_city, "Paris");
  ASSERT_EQ(run.value.completions.size(), 2u);
  const json& answer = (*run.value.final_completion())["choices"][0]["message"];
  EXPECT_NE(answer["content"].get<std::string>().find(R"(get_weather returned {"sky":"sunny"})"),
            std::string::npos);
  const json& m = run.value.messages;
  ASSERT_EQ(m.size(), 4u);  // user, assistant (tool call), tool, assistant
  EXPECT_EQ(m[2]["role"], "tool");
  EXPECT_EQ(m[2]["content"], R"({"sky":"sunny"})");
}

TEST_F(NativeToolRun, InvalidArgumentsGoBackToTheModelAndTheToolNeverRuns) {
  Client c = client();
  int ran = 0;
  std::map<std::string, ToolFunction> tools = {{"get_weather", [&](const json&) {
                                                  ++ran;
                                                  return ToolOutcome{"ran"};
                                                }}};
  auto run = c.run_tools(ask_weather("^[0-9]+$"), tools);
  ASSERT_TRUE(run.ok()) << run.error.message;
  EXPECT_EQ(ran, 0);
  const std::string result = run.value.messages[2]["content"];
  EXPECT_EQ(result.rfind("Error: invalid arguments for tool \"get_weather\"", 0), 0u) << result;
  EXPECT_NE(result.find("$.city"), std::string::npos) << result;
}

TEST_F(NativeToolRun, FailedToolsAreBoundedByMaxRepairs) {
  Client c = client();
  std::map<std::string, ToolFunction> tools = {{"get_weather", [](const json&) {
                                                  return ToolOutcome{"weather service down", true};
                                                }}};
  ToolRunOptions bounds;
  bounds.max_repairs = 0;
  auto run = c.run_tools(ask_weather(), tools, bounds);
  ASSERT_FALSE(run.ok());
  EXPECT_EQ(run.error.kind, ErrorKind::kToolLoop);
  EXPECT_EQ(run.error.code, "max_repairs");
  EXPECT_NE(run.error.message.find("weather service down"), std::string::npos);
}

TEST_F(NativeToolRun, StopsAtMaxChatCompletions) {
  Client c = client();
  std::map<std::string, ToolFunction> tools = {
      {"get_weather", [](const json&) { return ToolOutcome{"ok"}; }}};
  ToolRunOptions bounds;
  bounds.max_chat_completions = 1;
  auto run = c.run_tools(ask_weather(), tools, bounds);
  EXPECT_EQ(run.error.kind, ErrorKind::kToolLoop);
  EXPECT_EQ(run.error.code, "max_chat_completions");
  EXPECT_EQ(run.value.completions.size(), 1u);
}

TEST_F(NativeToolRun, RefusesAToolWithoutAFunctionNamingIt) {
  Client c = client();
  auto run = c.run_tools(ask_weather(), {});
  EXPECT_EQ(run.error.kind, ErrorKind::kInvalidArgument);
  EXPECT_NE(run.error.message.find("get_weather"), std::string::npos);
  EXPECT_TRUE(run.value.completions.empty());  // refused before any request
}

}  // namespace
}  // namespace llmbase
