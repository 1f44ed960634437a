// GoogleTest: retry decisions, Retry-After parsing and backoff, and ApiCall's retry state machine.
#include <gtest/gtest.h>

#include "core/api_call.h"
#include "core/http_policy.h"

namespace llmbase {
namespace {

Error with_kind(ErrorKind kind, int status = 0) {
  Error e;
  e.kind = kind;
  e.status = status;
  return e;
}

TEST(RetryPolicy, RetriesConnectionErrorsTimeoutsBeforeBytesAnd408_409_429_5xx) {
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kConnection)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kIdleTimeout)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kApiStatus, 408)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kConflict, 409)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kRateLimit, 429)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kConcurrencyLimit, 429)));
  EXPECT_TRUE(is_retryable(with_kind(ErrorKind::kInternalServer, 503)));
}

TEST(RetryPolicy, NeverRetriesClientErrorsAbortsOrTotalTimeouts) {
  for (auto kind :
       {ErrorKind::kBadRequest, ErrorKind::kAuthentication, ErrorKind::kInsufficientBalance,
        ErrorKind::kPermissionDenied, ErrorKind::kNotFound, ErrorKind::kUnprocessable,
        ErrorKind::kUserAbort, ErrorKind::kTimeout, ErrorKind::kInvalidArgument,
        ErrorKind::kStreamError, ErrorKind::kIncompleteStream, ErrorKind::kInvalidResponse}) {
    EXPECT_FALSE(is_retryable(with_kind(kind, 400))) << error_kind_name(kind);
  }
  EXPECT_FALSE(is_retryable(with_kind(ErrorKind::kApiStatus, 418)));
}

TEST(RetryPolicy, HonoursRetryAfterMsFirstThenRetryAfterSeconds) {
  RetryPolicy policy;
  EXPECT_EQ(retry_delay_ms(1, {"250", "9", 0}, policy, 0.5), 250);
  EXPECT_EQ(retry_delay_ms(1, {"", "2", 0}, policy, 0.5), 2000);
  EXPECT_EQ(retry_delay_ms(1, {"", "1.5", 0}, policy, 0.5), 1500);
  EXPECT_EQ(retry_delay_ms(1, {"", " 0 ", 0}, policy, 0.5), 0);
}

TEST(RetryPolicy, HonoursRetryAfterAsAnHttpDate) {
  const std::int64_t at = parse_http_date_ms("Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(at, 784111777000);
  RetryPolicy policy;
  EXPECT_EQ(retry_delay_ms(1, {"", "Sun, 06 Nov 1994 08:49:37 GMT", at - 3000}, policy, 0), 3000);
  // A date in the past means "now".
  EXPECT_EQ(retry_delay_ms(1, {"", "Sun, 06 Nov 1994 08:49:37 GMT", at + 5000}, policy, 0), 0);
  EXPECT_EQ(parse_http_date_ms("Sunday, 06-Nov-94 08:49:37 GMT"), -1);
  EXPECT_EQ(parse_http_date_ms("Sun, 06 Foo 1994 08:49:37 GMT"), -1);
  EXPECT_EQ(parse_http_date_ms("Sun, 06 Nov 1994 25:49:37 GMT"), -1);
}

TEST(RetryPolicy, IgnoresHintsAboveTheLimitOrMalformed) {
  RetryPolicy policy;
  policy.max_retry_after_ms = 60'000;
  // 120 s is above the limit: exponential backoff instead.
  EXPECT_EQ(retry_delay_ms(1, {"", "120", 0}, policy, 0), 500);
  EXPECT_EQ(retry_delay_ms(1, {"-5", "soon", 0}, policy, 0), 500);
  policy.max_retry_after_ms = 200'000;
  EXPECT_EQ(retry_delay_ms(1, {"", "120", 0}, policy, 0), 120'000);
}

TEST(RetryPolicy, BacksOffExponentiallyFromHalfASecondToEightWithJitter) {
  RetryPolicy policy;
  EXPECT_EQ(retry_delay_ms(1, {}, policy, 0), 500);
  EXPECT_EQ(retry_delay_ms(2, {}, policy, 0), 1000);
  EXPECT_EQ(retry_delay_ms(3, {}, policy, 0), 2000);
  EXPECT_EQ(retry_delay_ms(5, {}, policy, 0), 8000);
  EXPECT_EQ(retry_delay_ms(12, {}, policy, 0), 8000);
  // Jitter takes off at most a quarter.
  EXPECT_EQ(retry_delay_ms(1, {}, policy, 0.999999), 375);
  EXPECT_EQ(retry_delay_ms(5, {}, policy, 0.5), 7000);
}

HttpRequest request() {
  HttpRequest r;
  r.method = "POST";
  r.url = "http://127.0.0.1/v1/chat/completions";
  return r;
}

TEST(ApiCall, OrdersARetryForA503ThenFinishesWithTheNextResponse) {
  ApiCall call(request(), false, "llmbase_k", CallOptions{});
  call.on_response(503, "application/json", {"", "1", 0});
  CallUpdate first;
  call.on_body(R"({"error":{"message":"busy","code":"service_unavailable"}})", first);
  call.on_end(first);
  EXPECT_FALSE(first.finished);
  EXPECT_EQ(first.retry_delay_ms, 1000);
  EXPECT_EQ(first.error.kind, ErrorKind::kInternalServer);
  EXPECT_EQ(call.attempt(), 2);

  call.on_response(200, "application/json", {});
  CallUpdate second;
  call.on_body(R"({"id":"x","object":"chat.completion","choices":[]})", second);
  call.on_end(second);
  EXPECT_TRUE(second.finished);
  EXPECT_TRUE(second.error.ok());
  EXPECT_EQ(second.retry_delay_ms, -1);
  EXPECT_EQ(second.result["id"], "x");
}

TEST(ApiCall, StopsAfterMaxRetriesWithTheLastError) {
  CallOptions options;
  options.retry.max_retries = 1;
  ApiCall call(request(), false, "llmbase_k", options);
  for (int attempt = 1; attempt <= 2; ++attempt) {
    call.on_response(500, "text/plain", {});
    CallUpdate update;
    call.on_end(update);
    if (attempt == 1) {
      EXPECT_FALSE(update.finished);
      EXPECT_GE(update.retry_delay_ms, 375);
    } else {
      EXPECT_TRUE(update.finished);
      EXPECT_EQ(update.retry_delay_ms, -1);
      EXPECT_EQ(update.error.status, 500);
    }
  }
}

TEST(ApiCall, NeverRetriesOnceStreamBytesArrived) {
  ApiCall call(request(), true, "llmbase_k", CallOptions{});
  call.on_response(200, "text/event-stream", {});
  CallUpdate update;
  call.on_body("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n", update);
  EXPECT_EQ(update.chunks.size(), 1u);
  CallUpdate failed;
  call.on_transport_error(ErrorKind::kConnection, "reset", failed);
  EXPECT_TRUE(failed.finished);
  EXPECT_EQ(failed.retry_delay_ms, -1);
  EXPECT_EQ(failed.error.kind, ErrorKind::kIncompleteStream);
}

TEST(ApiCall, RetriesAConnectionErrorBeforeAnyResponse) {
  ApiCall call(request(), true, "llmbase_k", CallOptions{});
  CallUpdate update;
  call.on_transport_error(ErrorKind::kConnection, "ECONNREFUSED", update);
  EXPECT_FALSE(update.finished);
  EXPECT_GE(update.retry_delay_ms, 375);
  EXPECT_LE(update.retry_delay_ms, 500);
  CallUpdate aborted;
  call.on_transport_error(ErrorKind::kUserAbort, "aborted", aborted);
  EXPECT_TRUE(aborted.finished);
  EXPECT_EQ(aborted.error.kind, ErrorKind::kUserAbort);
}

TEST(ApiCall, JitterIsReproducibleFromTheSeed) {
  auto delay_for_seed = [](std::uint64_t seed) {
    CallOptions options;
    options.seed = seed;
    ApiCall call(request(), false, "k", options);
    CallUpdate u;
    call.on_transport_error(ErrorKind::kConnection, "x", u);
    return u.retry_delay_ms;
  };
  EXPECT_EQ(delay_for_seed(42), delay_for_seed(42));
}

}  // namespace
}  // namespace llmbase
