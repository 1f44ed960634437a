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

}  // namespace llmbase
