// GoogleTest: http_policy, status → error kind and the error envelope read from a body.
#include <gtest/gtest.h>

#include <string>
#include <tuple>

#include "core/http_policy.h"
#include "core/sse_decoder.h"

namespace llmbase {
namespace {

const std::string kKey = "llmbase_test_0123456789abcdef";

TEST(HttpPolicy, MapsStatusToKind) {
  const std::tuple<int, const char*, ErrorKind> table[] = {
      {400, "", ErrorKind::kBadRequest},
      {401, "invalid_api_key", ErrorKind::kAuthentication},
      {402, "", ErrorKind::kInsufficientBalance},
      {403, "", ErrorKind::kPermissionDenied},
      {404, "", ErrorKind::kNotFound},
      {409, "", ErrorKind::kConflict},
      {422, "", ErrorKind::kUnprocessable},
      {429, "", ErrorKind::kRateLimit},
      {429, "rate_limit_exceeded", ErrorKind::kRateLimit},
      {429, "too_many_concurrent_requests", ErrorKind::kConcurrencyLimit},
      {400, "too_many_concurrent_requests", ErrorKind::kBadRequest},
      {408, "", ErrorKind::kApiStatus},
      {418, "", ErrorKind::kApiStatus},
      {302, "", ErrorKind::kApiStatus},
      {500, "", ErrorKind::kInternalServer},
      {502, "", ErrorKind::kInternalServer},
      {503, "", ErrorKind::kInternalServer},
      {599, "", ErrorKind::kInternalServer},
  };
  for (const auto& [status, code, kind] : table) {
    EXPECT_EQ(error_kind_for_status(status, code), kind) << status << " " << code;
  }
}

TEST(HttpPolicy, ParsesEnvelopeVariants) {
  Error e = error_from_response(429, R"({"error":{"message":"slow down","code":429}})", kKey);
  EXPECT_EQ(e.kind, ErrorKind::kRateLimit);
  EXPECT_EQ(e.code, "429");
  EXPECT_EQ(e.message, "slow down");

  Error bare = error_from_response(400, R"({"message":"bad tools","code":"invalid_tools"})", kKey);
  EXPECT_EQ(bare.kind, ErrorKind::kBadRequest);
  EXPECT_EQ(bare.code, "invalid_tools");
  EXPECT_EQ(bare.message, "bad tools");

  Error no_message = error_from_response(404, R"({"error":{"code":"model_not_found"}})", kKey);
  EXPECT_EQ(no_message.code, "model_not_found");
  EXPECT_NE(no_message.message.find("HTTP 404"), std::string::npos);
}

TEST(HttpPolicy, KeepsANonJsonExcerptShortAndValidUtf8) {
  std::string body = std::string(199, 'x') + "\xC3\xA9" + std::string(500, 'y');  // é at 199
  Error e = error_from_response(500, body, kKey);
  EXPECT_EQ(e.kind, ErrorKind::kInternalServer);
  EXPECT_LT(e.message.size(), 260u);
  EXPECT_EQ(sanitize_utf8(e.message), e.message);
  Error invalid = error_from_response(503, "\xFF\xFE oops", kKey);
  EXPECT_EQ(sanitize_utf8(invalid.message), invalid.message);
}

}  // namespace
}  // namespace llmbase
