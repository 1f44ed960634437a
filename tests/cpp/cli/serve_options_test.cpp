// GoogleTest for `llmbase serve` option reading (src/cli/serve_options): every rule's usage error, the defaults and the instruction handed to the Node shell.
#include "cli/serve_options.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using llmbase::cli::parse_serve_options;
using llmbase::cli::ServeParse;
using nlohmann::json;

namespace {

json start(const std::vector<std::string>& args) {
  const ServeParse p = parse_serve_options(args);
  EXPECT_EQ(p.outcome, ServeParse::Outcome::kStart) << p.error;
  return p.instruction;
}

std::string error_of(const std::vector<std::string>& args) {
  const ServeParse p = parse_serve_options(args);
  EXPECT_EQ(p.outcome, ServeParse::Outcome::kUsageError);
  return p.error;
}

const char* const kSee = " (see llmbase serve --help)";

}  // namespace

TEST(ServeOptions, NoOptionsStartsTheLocalServerWithTheHelpsDefaults) {
  EXPECT_EQ(start({}), json::parse(R"({"mode": "local", "port": 8787, "host": "127.0.0.1",
    "quiet": false, "staticMounts": [],
    "server": {"balance": 10, "chunkDelayMs": 20, "maxConcurrent": 20}})"));
}

TEST(ServeOptions, TheProxyGetsItsOwnOptionsAndDefaults) {
  EXPECT_EQ(start({"--proxy", "--upstream", "https://api.llmbase.ai/v1"}),
            json::parse(R"({"mode": "proxy", "port": 8787, "host": "127.0.0.1", "quiet": false,
    "staticMounts": [], "logJson": false,
    "proxy": {"upstream": "https://api.llmbase.ai/v1", "maxTokensCap": 4096,
      "rateLimit": "20/min", "trustProxy": false, "upstreamHeadersTimeout": 120000,
      "upstreamIdleTimeout": 60000, "shutdownTimeout": 10000}})"));
  const json all = start({"--proxy", "--upstream=http://u/v1", "--allow-models", "a/b,c/d",
                          "--rate-limit", "5/S", "--trust-proxy", "--redis", "redis://r:1",
                          "--spend-limit-client", "0.5", "--spend-limit-site", "2e1", "--log-json",
                          "--shutdown-timeout", "0", "--allowed-origins", "*", "--quiet"});
  EXPECT_EQ(all["proxy"]["allowModels"], "a/b,c/d");  // the proxy reads its own lists
  EXPECT_EQ(all["proxy"]["rateLimit"], "5/S");
  EXPECT_EQ(all["proxy"]["trustProxy"], true);
  EXPECT_EQ(all["proxy"]["spendLimit"], json::parse(R"({"perClientUSD": 0.5, "siteUSD": 20})"));
  EXPECT_EQ(all["proxy"]["shutdownTimeout"], 0);
  EXPECT_EQ(all["proxy"]["allowedOrigins"], "*");
  EXPECT_EQ(all["redis"], "redis://r:1");
  EXPECT_EQ(all["logJson"], true);
  EXPECT_EQ(all["quiet"], true);
}

TEST(ServeOptions, LocalValuesAreTypedAndTheLastOneCounts) {
  const json local = start({"--port", "1", "--port=0", "--balance", "3.5", "--keys",
                            " llmbase_a, ,llmbase_b", "--catalog", "c.json", "--chunk-delay-ms",
                            "0", "--max-concurrent", "2", "--host", "--quiet"});
  EXPECT_EQ(local["port"], 0);
  EXPECT_EQ(local["host"], "--quiet");  // a value may start with --, as the next word
  EXPECT_EQ(local["quiet"], false);
  EXPECT_EQ(local["server"], json::parse(R"({"balance": 3.5, "keys": ["llmbase_a", "llmbase_b"],
    "catalog": "c.json", "chunkDelayMs": 0, "maxConcurrent": 2})"));
}

TEST(ServeOptions, StaticMountsKeepTheirOrderAndGetSlashes) {
  const json local = start({"--static", "web", "--static-mount", "/dist=dist,,assets//=pub/x"});
  EXPECT_EQ(local["staticDir"], "web");
  EXPECT_EQ(local["staticMounts"], json::parse(R"([["/dist/", "dist"], ["/assets/", "pub/x"]])"));
  EXPECT_EQ(start({"--static-mount="})["staticMounts"], json::array());
  EXPECT_EQ(error_of({"--static-mount", "/dist=dist,nodir"}),
            std::string("--static-mount takes PREFIX=DIR (e.g. /dist=dist), got \"nodir\"") + kSee);
  EXPECT_EQ(error_of({"--static-mount", "=dist"}),
            std::string("--static-mount takes PREFIX=DIR (e.g. /dist=dist), got \"=dist\"") + kSee);
}

TEST(ServeOptions, HelpWinsOnceTheArgumentsRead) {
  EXPECT_EQ(parse_serve_options({"--proxy", "--help"}).outcome, ServeParse::Outcome::kHelp);
  EXPECT_EQ(parse_serve_options({"--balance", "1", "--proxy", "--help"}).outcome,
            ServeParse::Outcome::kHelp);
  EXPECT_EQ(parse_serve_options({"--help", "--bogus"}).outcome, ServeParse::Outcome::kUsageError);
}

TEST(ServeOptions, GrammarErrorsNameTheOptionAndTheFix) {
  EXPECT_EQ(error_of({"--bogus"}), std::string("unknown option --bogus") + kSee);
  EXPECT_EQ(error_of({"--port"}), std::string("--port needs a value") + kSee);
  EXPECT_EQ(error_of({"--quiet=yes"}), std::string("--quiet takes no value") + kSee);
  EXPECT_EQ(error_of({"8080"}),
            std::string("unexpected argument \"8080\": serve takes only options") + kSee);
  EXPECT_EQ(error_of({"-p"}),
            std::string("unexpected argument \"-p\": serve takes only options") + kSee);
  EXPECT_EQ(error_of({"--Port", "1"}),
            std::string("unexpected argument \"--Port\": serve takes only options") + kSee);
  for (const char* bad : {"abc", "-1", "1.5", " 1", "", "0x10"}) {
    EXPECT_EQ(error_of({"--port", bad}),
              std::string("--port must be a whole number, got ") + json(bad).dump() + kSee);
  }
  EXPECT_EQ(error_of({"--shutdown-timeout", "1234567890123456"}),
            std::string("--shutdown-timeout is too large, got \"1234567890123456\"") + kSee);
  for (const char* bad : {"-1", "lots", ".5", "5.", "1e", "1e999", "+2", "Infinity", ""}) {
    EXPECT_EQ(
        error_of({"--balance", bad}),
        std::string("--balance must be a number ≥ 0 such as 2.5, got ") + json(bad).dump() + kSee);
  }
  EXPECT_EQ(start({"--balance", "0"})["server"]["balance"], 0);
  EXPECT_EQ(start({"--balance", "1E2"})["server"]["balance"], 100);
}

TEST(ServeOptions, OptionsOfTheOtherModeAreRefused) {
  EXPECT_EQ(error_of({"--allow-models", "a/b"}),
            std::string("--allow-models needs --proxy") + kSee);
  EXPECT_EQ(error_of({"--upstream", "http://u/v1"}),
            std::string("--upstream needs --proxy") + kSee);
  EXPECT_EQ(error_of({"--log-json"}), std::string("--log-json needs --proxy") + kSee);
  EXPECT_EQ(error_of({"--proxy", "--upstream", "http://u/v1", "--balance", "3"}),
            std::string("--balance is for the local server, not --proxy") + kSee);
  // The first misplaced option named is the one reported.
  EXPECT_EQ(error_of({"--redis", "redis://r", "--allow-models", "a/b"}),
            std::string("--redis needs --proxy") + kSee);
}

TEST(ServeOptions, TheProxyNeedsAnUpstreamAndAReadableRate) {
  const std::string needs =
      std::string("--proxy needs --upstream URL (e.g. https://api.llmbase.ai/v1)") + kSee;
  EXPECT_EQ(error_of({"--proxy"}), needs);
  EXPECT_EQ(error_of({"--proxy", "--upstream="}), needs);
  for (const char* bad : {"fast", "10/day", "/min", "10/", "-1/min"}) {
    EXPECT_EQ(error_of({"--proxy", "--upstream", "http://u/v1", "--rate-limit", bad}),
              std::string("--rate-limit takes N/min (or N/s, N/h; 0 = off), got ") +
                  json(bad).dump() + kSee);
  }
  for (const char* good : {"0", "7", "7/sec", "7/Min", "7/h", "7/hour"}) {
    EXPECT_EQ(start({"--proxy", "--upstream", "u", "--rate-limit", good})["proxy"]["rateLimit"],
              good);
  }
}

TEST(ServeOptions, KeysNeedOneKey) {
  EXPECT_EQ(error_of({"--keys", " , "}),
            std::string("--keys needs at least one item, e.g. --keys a,b") + kSee);
}

TEST(ServeOptions, TheHelpShowsTheDefaultsTheInstructionCarries) {
  const std::string help = llmbase::cli::serve_help();
  EXPECT_EQ(help.rfind("Usage: llmbase serve [options]\n", 0), 0u);
  EXPECT_EQ(help.back(), '\n');
  EXPECT_EQ(help.find('{'), std::string::npos) << "a {placeholder} without a default";
  for (const char* shown :
       {"(default 8787; 0 picks", "(default 127.0.0.1)", "balance (default 10)",
        "chunks (default 20;", "429 (default 20)", "get N (default 4096)", "default 20/min)",
        "(default 120000)", "(default 60000)", "up to MS (default 10000)", "Exit codes: 0 "}) {
    EXPECT_NE(help.find(shown), std::string::npos) << shown;
  }
}
