// GoogleTest: error kind names round-trip and API keys are redacted from messages.
#include <gtest/gtest.h>

#include "core/error.h"

namespace llmbase {

TEST(ErrorKind, NamesRoundTrip) {
  for (auto kind : {ErrorKind::kBadRequest, ErrorKind::kConcurrencyLimit, ErrorKind::kIdleTimeout,
                    ErrorKind::kIncompleteStream, ErrorKind::kUserAbort}) {
    EXPECT_EQ(error_kind_from_name(error_kind_name(kind)), kind);
  }
  EXPECT_EQ(error_kind_from_name("no_such_kind"), ErrorKind::kApiStatus);
}

TEST(RedactSecret, RemovesEveryOccurrenceOfTheKey) {
  const std::string key = "llmbase_abcdef0123456789";
  const std::string out = redact_secret("bad key " + key + " (" + key + ")", key);
  EXPECT_EQ(out.find(key), std::string::npos);
  EXPECT_NE(out.find("llmbase_…[redacted]"), std::string::npos);
}

TEST(RedactSecret, LeavesTextAloneForShortOrEmptySecrets) {
  EXPECT_EQ(redact_secret("hello abc", "abc"), "hello abc");
  EXPECT_EQ(redact_secret("hello", ""), "hello");
}

TEST(RedactError, RedactsEveryStringField) {
  const std::string key = "llmbase_abcdef0123456789";
  Error e = make_error(ErrorKind::kAuthentication, "bad_" + key, "key " + key + " refused", key);
  e.type = "type_" + key;
  redact_error(e, {key});
  for (const std::string* field : {&e.message, &e.code, &e.type, &e.param}) {
    EXPECT_EQ(field->find(key), std::string::npos) << *field;
  }
  EXPECT_EQ(e.code, "bad_llmbase_…[redacted]");
}

TEST(HeaderSecrets, TakesAuthorizationLikeValuesAndTheirBearerToken) {
  const auto secrets = header_secrets({{"Authorization", "Bearer llmbase_hdr_0123456789"},
                                       {"X-Api-Key", "sk-other-0123456789"},
                                       {"X-Trace", "not-a-secret-at-all"}});
  ASSERT_EQ(secrets.size(), 3u);
  EXPECT_EQ(secrets[0], "llmbase_hdr_0123456789");
  EXPECT_EQ(secrets[1], "Bearer llmbase_hdr_0123456789");
  EXPECT_EQ(secrets[2], "sk-other-0123456789");
  EXPECT_TRUE(is_secret_header("PROXY-AUTHORIZATION"));
  EXPECT_FALSE(is_secret_header("content-type"));
}

TEST(TransportErrorText, OneWordingForEveryTransport) {
  EXPECT_EQ(transport_error_text(ErrorKind::kTimeout, 1500),
            "Request timed out after 1500 ms (timeout).");
  EXPECT_EQ(transport_error_text(ErrorKind::kIdleTimeout, 60000),
            "No data received for 60000 ms (idleTimeout).");
  EXPECT_EQ(transport_error_text(ErrorKind::kUserAbort), "Request was aborted.");
  EXPECT_EQ(transport_error_text(ErrorKind::kConnection, 0, "ECONNREFUSED"),
            "Connection error: ECONNREFUSED");
  // No cause: the connection ended before any response.
  EXPECT_EQ(transport_error_text(ErrorKind::kConnection),
            "The server closed the connection without a response.");
}

}  // namespace llmbase
