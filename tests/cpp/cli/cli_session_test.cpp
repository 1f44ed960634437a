// GoogleTest for the CLI front end (src/cli): grammar, help, exit codes and each flow driven step by step, as both shells drive it.
#include "cli/cli_session.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "cli/cli_format.h"

using llmbase::cli::Action;
using llmbase::cli::CliSession;
using nlohmann::json;

namespace {

Action first(std::vector<std::string> args, bool can_serve = false, std::string model = "") {
  CliSession session(std::move(args), std::move(model), can_serve);
  return session.next();
}

const char* const kUsageFix = " — fix the request or the options and run again\n";

}  // namespace

TEST(CliSession, NoArgumentsPrintsHelpAndExitsTwo) {
  const Action a = first({});
  EXPECT_EQ(a.type, Action::Type::kFinish);
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_EQ(a.out, llmbase::cli_help(""));
  EXPECT_NE(a.out.find("Usage: llmbase <command> [options]"), std::string::npos);
  EXPECT_NE(a.out.find("llmbase " LLMBASE_VERSION ": "), std::string::npos);
  EXPECT_EQ(a.err, "");
}

TEST(CliSession, HelpFlagsAndHelpCommandExitZero) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--help"}, {"-h"}, {"help"}}) {
    const Action a = first(args);
    EXPECT_EQ(a.exit_code, 0) << args[0];
    EXPECT_EQ(a.out, llmbase::cli_help("")) << args[0];
  }
  const Action chat = first({"chat", "--help"});
  EXPECT_EQ(chat.exit_code, 0);
  EXPECT_EQ(chat.out.rfind("Usage: llmbase chat", 0), 0u);
}

TEST(CliSession, UnknownCommandAndOptionAreUsageErrors) {
  const Action unknown = first({"frobnicate"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_EQ(unknown.err, std::string("llmbase: invalid input [usage]: unknown command "
                                     "\"frobnicate\" (see llmbase --help)") +
                             kUsageFix);
  const Action option = first({"chat", "--temperature", "2", "hi"});
  EXPECT_EQ(
      option.err,
      std::string("llmbase: invalid input [usage]: unknown option --temperature") + kUsageFix);
  EXPECT_EQ(first({"chat", "--model"}).err,
            std::string("llmbase: invalid input [usage]: --model needs a value") + kUsageFix);
  EXPECT_EQ(first({"models", "--max-retries", "-1"}).exit_code, 2);
  EXPECT_EQ(first({"models", "--timeout", "0"}).exit_code, 2);
}

TEST(CliSession, AHeaderWithoutNameIsNotEchoed) {
  const Action a = first({"models", "--header", "Bearer llmbase_secret"});
  EXPECT_EQ(a.exit_code, 2);
  EXPECT_EQ(a.err.find("llmbase_secret"), std::string::npos);
}

TEST(CliSession, ServeIsCheckedInBothShellsAndStartedOnlyByNode) {
  const Action node = first({"serve", "--port", "0", "--quiet"}, /*can_serve=*/true);
  ASSERT_EQ(node.type, Action::Type::kServe);
  EXPECT_EQ(node.serve["mode"], "local");
  EXPECT_EQ(node.serve["port"], 0);
  EXPECT_EQ(node.serve["quiet"], true);
  const Action native = first({"serve", "--port", "0"});
  EXPECT_EQ(native.type, Action::Type::kFinish);
  EXPECT_EQ(native.exit_code, 2);
  EXPECT_EQ(native.out, "");
  EXPECT_EQ(native.err.rfind("llmbase: serve runs the local server", 0), 0u);
  EXPECT_NE(native.err.find("`npx llmbase serve`"), std::string::npos);
  // Help and usage errors are the front end's, the same in both shells.
  for (bool can_serve : {false, true}) {
    const Action help = first({"serve", "--help"}, can_serve);
    EXPECT_EQ(help.type, Action::Type::kFinish);
    EXPECT_EQ(help.exit_code, 0);
    EXPECT_EQ(help.out.rfind("Usage: llmbase serve [options]\n", 0), 0u);
    const Action bad = first({"serve", "--port", "abc"}, can_serve);
    EXPECT_EQ(bad.exit_code, 2);
    EXPECT_EQ(bad.err, std::string("llmbase: invalid input [usage]: --port must be a whole "
                                   "number, got \"abc\" (see llmbase serve --help)") +
                           kUsageFix);
  }
}

TEST(CliSession, ListCommandsFetchThenFormat) {
  CliSession session({"models", "--base-url", "http://127.0.0.1:1/v1", "--max-retries", "0",
                      "--header", "X-A:  b"},
                     "", false);
  const Action fetch = session.next();
  ASSERT_EQ(fetch.type, Action::Type::kFetch);
  EXPECT_EQ(fetch.endpoint, "models");
  EXPECT_EQ(session.client_config().base_url, "http://127.0.0.1:1/v1");
  EXPECT_EQ(session.client_config().max_retries, 0);
  ASSERT_EQ(session.client_config().headers.size(), 1u);
  EXPECT_EQ(session.client_config().headers[0].first, "X-A");
  EXPECT_EQ(session.client_config().headers[0].second, "b");
  session.on_result(json::parse(R"({"object":"list","data":[{"id":"a/b"},{"id":"c/d"}]})"));
  const Action done = session.next();
  EXPECT_EQ(done.out, "a/b\nc/d\n");
  EXPECT_EQ(done.exit_code, 0);
}

TEST(CliSession, ErrorsGiveOneLineAndTheKindsExitCode) {
  CliSession session({"balance"}, "", false);
  session.next();
  session.on_error(
      llmbase::make_error(llmbase::ErrorKind::kAuthentication, "invalid_api_key", "bad key"));
  const Action a = session.next();
  EXPECT_EQ(a.exit_code, 3);
  EXPECT_EQ(a.err.rfind("llmbase: authentication failed", 0), 0u);
  EXPECT_EQ(a.err.back(), '\n');
}

TEST(CliSession, ChatReadsStdinBuildsTheRequestAndEndsTheLine) {
  CliSession session({"chat", "--system", "be brief", "--max-tokens", "12"}, "acme/env-model",
                     false);
  const Action read = session.next();
  ASSERT_EQ(read.type, Action::Type::kReadInput);
  EXPECT_EQ(read.path, "-");
  session.on_input(true, "hello\r\n");
  const Action chat = session.next();
  ASSERT_EQ(chat.type, Action::Type::kChat);
  EXPECT_FALSE(chat.keep_content);
  EXPECT_TRUE(chat.print_text);
  EXPECT_EQ(chat.request["model"], "acme/env-model");
  EXPECT_EQ(chat.request["max_tokens"], 12);
  EXPECT_EQ(chat.request["messages"].size(), 2u);
  EXPECT_EQ(chat.request["messages"][1]["content"], "hello");
  session.on_chat_end(true, json::object());
  EXPECT_EQ(session.next().out, "\n");
}

TEST(CliSession, ChatUsageErrors) {
  CliSession empty({"chat"}, "", false);
  empty.next();
  empty.on_input(true, "\n");
  EXPECT_EQ(empty.next().exit_code, 2);
  EXPECT_EQ(first({"chat", "--max-tokens", "lots", "hi"}).exit_code, 2);
  EXPECT_EQ(first({"chat", "hi"}).request["model"], "deepseek/deepseek-v4-flash");
}

TEST(CliSession, ChatJsonPrintsTheCompletionAndAnErrorAfterTextEndsTheLine) {
  CliSession with_json({"chat", "--json", "hi"}, "", false);
  const Action json_chat = with_json.next();
  EXPECT_TRUE(json_chat.keep_content);
  EXPECT_FALSE(json_chat.print_text);
  with_json.on_chat_end(false, json{{"id", "x"}, {"n", 4.0}});
  EXPECT_EQ(with_json.next().out, "{\n  \"id\": \"x\",\n  \"n\": 4\n}\n");
  CliSession cut({"chat", "hi"}, "", false);
  cut.next();
  cut.on_error(llmbase::make_error(llmbase::ErrorKind::kIncompleteStream, "", "cut"), true);
  const Action a = cut.next();
  EXPECT_EQ(a.out, "\n");
  EXPECT_EQ(a.exit_code, 8);
}

TEST(CliSession, RefusedFindingsAndAClosedOutput) {
  CliSession refused({"chat", "hi"}, "", false);
  refused.next();
  refused.on_refused(json::parse(
      R"([{"path":"max_tokens","code":"too_big","severity":"error","message":"too big"}])"));
  const Action a = refused.next();
  EXPECT_EQ(a.exit_code, 7);
  EXPECT_NE(a.err.find("[too_big]: Request not sent: max_tokens: too big"), std::string::npos);
  CliSession closed({"chat", "hi"}, "", false);
  closed.next();
  closed.on_output_closed();
  const Action c = closed.next();
  EXPECT_EQ(c.exit_code, 141);
  EXPECT_EQ(c.out + c.err, "");
}

TEST(CliSession, ValidateReadsBothFilesOrFetchesMetadata) {
  const std::string request = R"({"model":"a/b","messages":[{"role":"user","content":"x"}]})";
  const std::string metadata = R"([{"id":"a/b","supported_features":[]}])";
  CliSession from_file({"validate", "--metadata", "meta.json", "req.json"}, "", false);
  EXPECT_EQ(from_file.next().path, "req.json");
  from_file.on_input(true, request);
  EXPECT_EQ(from_file.next().path, "meta.json");
  from_file.on_input(true, metadata);
  const Action ok = from_file.next();
  EXPECT_EQ(ok.exit_code, 0);
  EXPECT_EQ(json::parse(ok.out)["ok"], true);

  CliSession live({"validate", "-"}, "", false);
  live.next();
  live.on_input(true, R"({"model":"a/b","messages":[]})");
  EXPECT_EQ(live.next().endpoint, "metadata");
  live.on_result(json::parse(metadata));
  const Action refused = live.next();
  EXPECT_EQ(refused.exit_code, 7);
  EXPECT_EQ(json::parse(refused.out)["ok"], false);

  CliSession unreadable({"validate", "missing.json"}, "", false);
  unreadable.next();
  unreadable.on_input(false, "");
  EXPECT_EQ(unreadable.next().err,
            std::string("llmbase: invalid input [usage]: cannot read missing.json") + kUsageFix);
  EXPECT_EQ(first({"validate"}).exit_code, 2);
}
