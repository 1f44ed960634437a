// HTTP policy: which error kind a response status means (llmbase-api.md, Decisions §5).
#pragma once

#include <string_view>

#include "error.h"

namespace llmbase {

// Kind for a non-2xx status; `code` is the envelope's error.code (it tells a concurrency-guard
// 429 from an ordinary rate limit).
ErrorKind error_kind_for_status(int status, std::string_view code);

// Builds the typed error for a non-2xx response from its (possibly non-JSON, possibly empty)
// body. The message always says what happened; `api_key` is redacted from it.
Error error_from_response(int status, std::string_view body, const std::string& api_key);

}  // namespace llmbase
