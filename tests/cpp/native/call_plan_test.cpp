// GoogleTest: the shared call-plan cases (tests/fixtures/call-plan/cases.json) through the native Client; tests/e2e/call-plan.test.mjs runs the same file through the JS client.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "llmbase/client.h"
#include "local_server.h"

using nlohmann::json;

namespace llmbase {
namespace {

json load_cases() {
  std::ifstream in(LLMBASE_REPO_DIR "/tests/fixtures/call-plan/cases.json");
  std::stringstream text;
  text << in.rdbuf();
  json file = json::parse(text.str(), nullptr, false);
  return file.is_object() && file.contains("cases") ? file["cases"] : json::array();
}

ValidationMode mode_of(const json& client) {
  const std::string mode = client.value("validation", std::string("error"));
  if (mode == "warn") return ValidationMode::kWarn;
  if (mode == "off") return ValidationMode::kOff;
  return ValidationMode::kError;
}

std::vector<std::string> codes_of(const json& findings) {
  std::vector<std::string> codes;
  for (const auto& f : findings) codes.push_back(f.value("code", std::string()));
  return codes;
}

class CallPlan : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new testing::LocalServer("--chunk-delay-ms 0"); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static testing::LocalServer* server_;
};

testing::LocalServer* CallPlan::server_ = nullptr;

TEST_F(CallPlan, EverySharedCaseEndsAsTheJsClientsDoes) {
  ASSERT_TRUE(server_->ok()) << "the local server did not start (build dist/ first)";
  const json cases = load_cases();
  ASSERT_GE(cases.size(), 10u) << "tests/fixtures/call-plan/cases.json not found or empty";
  for (const json& entry : cases) {
    SCOPED_TRACE(entry.value("name", std::string("?")));
    const json& client_spec = entry["client"];
    ClientOptions options;
    options.api_key = "llmbase_call_plan_key";
    // Loopback port 1: nothing listens there, so any request would be a connection error.
    options.base_url = entry.value("server", std::string("local")) == "none"
                           ? std::string("http://127.0.0.1:1/v1")
                           : server_->url();
    options.max_retries = 0;
    options.validation = mode_of(client_spec);
    if (client_spec.contains("budgetUSD"))
      options.budget_usd = client_spec["budgetUSD"].get<double>();
    Client client(options);
    RequestOptions request_options;
    if (entry.contains("headers")) {
      for (const auto& [name, value] : entry["headers"].items())
        request_options.headers[name] = value.get<std::string>();
    }
    const auto result = client.chat_completion(entry["request"], request_options);
    const json& expect = entry["expect"];

    EXPECT_EQ(result.status > 0, expect["sent"].get<bool>()) << result.error.message;
    if (expect["error"].is_null()) {
      EXPECT_TRUE(result.ok()) << result.error.message;
    } else {
      ASSERT_FALSE(result.ok());
      for (const auto& [field, value] : expect["error"].items()) {
        const std::string got = field == "kind"    ? error_kind_name(result.error.kind)
                                : field == "code"  ? result.error.code
                                : field == "param" ? result.error.param
                                                   : "?";
        EXPECT_EQ(got, value.get<std::string>()) << field << " (" << result.error.message << ")";
      }
      if (result.error.kind == ErrorKind::kValidation) {
        EXPECT_EQ(result.error.message.rfind("Request not sent: ", 0), 0u) << result.error.message;
      }
    }
    std::vector<std::string> want;
    for (const auto& code : expect["findings"]) want.push_back(code.get<std::string>());
    EXPECT_EQ(codes_of(result.findings), want);
    const std::string billed = result.cost.is_object() && result.cost["model"].is_string()
                                   ? result.cost["model"].get<std::string>()
                                   : std::string();
    EXPECT_EQ(billed, expect["billedModel"].is_string() ? expect["billedModel"].get<std::string>()
                                                        : std::string());
    if (!billed.empty()) EXPECT_GT(result.cost["cost_usd"].get<double>(), 0.0);
  }
}

}  // namespace
}  // namespace llmbase
