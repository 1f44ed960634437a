// Cost: prompt-token estimate, worst-case cost before sending, and the cost of a finished usage.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "model_metadata.h"

namespace llmbase {

// The prompt-token estimate: the same rule as the local server's src/js/server/tokens.mjs, so
// estimates and its usage.prompt_tokens agree.
//   text     ceil(Unicode code points / 4)   (the usual "~4 characters per token"; code points,
//            not UTF-8 bytes, so accented and CJK text is not counted 2-3 times over)
//   message  4 tokens of framing + its `name`, its text (string content or `text` parts),
//            kAttachmentTokens per image_url or file part, and the name + arguments text of
//            each assistant tool call
//   request  3 tokens priming the reply + every message + the compact JSON text of `tools`
// Measured error against the local server's usage.prompt_tokens: 0 tokens on 26 requests
// (plain, multi-turn, UTF-8/CJK/emoji, text+image+file parts, tool calls and tool results,
// tools with schemas) sent to a running local server and compared one by one. The only known
// difference: a float written with a zero fraction (1.0) inside `tools` is 2 characters longer
// here than JavaScript's JSON.stringify ("1"), i.e. at most 1 token per such number.
// Against real LLMBase tokenizers the rule is only rough: English prose runs about 4 characters
// per token, code and non-Latin scripts fewer (CJK is often ~1 character per token, so up to
// ~4x underestimated), and images are billed by size, not a flat 85.
inline constexpr long long kCharsPerToken = 4;
inline constexpr long long kMessageOverheadTokens = 4;
inline constexpr long long kAttachmentTokens = 85;
inline constexpr long long kReplyPrimingTokens = 3;

long long estimate_text_tokens(std::string_view utf8);
long long estimate_message_tokens(const nlohmann::json& message);
// Tolerant: anything that is not the expected shape counts as nothing (never fails).
long long estimate_prompt_tokens(const nlohmann::json& request);

// The requested completion cap: `max_completion_tokens`, else `max_tokens` (positive whole
// numbers only, the precedence OpenAI and the local server use); nullopt when neither is given.
std::optional<long long> requested_max_tokens(const nlohmann::json& request);

// Cost ceiling of a request before it is sent.
struct CostEstimate {
  long long prompt_tokens = 0;
  // The request's cap, else the model's max_output_length; nullopt when neither is known.
  std::optional<long long> max_completion_tokens;
  // prompt_tokens × input + max_completion_tokens × output, in USD. Cached tokens are not
  // assumed, so this is an upper bound. nullopt when not priced or the completion is unbounded.
  std::optional<double> max_cost_usd;
  bool priced = false;  // the model is known and has input and output prices
};

// `model` may be nullptr (unknown model): tokens are still estimated.
CostEstimate estimate_cost(const nlohmann::json& request, const ModelInfo* model);

// Cost of a finished request from its `usage` (or a whole completion carrying `usage`).
struct UsageCost {
  long long prompt_tokens = 0;
  long long completion_tokens = 0;
  long long cached_tokens = 0;  // usage.prompt_tokens_details.cached_tokens
  // (prompt − cached) × input + cached × input_cache_read (input when that price is not
  // configured, llmbase-api.md §9) + completion × output, in USD; nullopt when not priced.
  std::optional<double> cost_usd;
  bool priced = false;
};

UsageCost actual_cost(const nlohmann::json& usage, const ModelInfo* model);

// What LLMBase bills for a finished completion: under smart fallback the cheaper of the requested
// and the served model (llmbase-api.md §10), so both are priced; `model` is the one billed (null
// when neither is in the catalog). `served` empty or equal to `requested`: the requested model.
struct CompletionBill {
  const ModelInfo* model = nullptr;
  UsageCost cost;
};
CompletionBill bill_completion(const nlohmann::json& usage, const ModelCatalog& catalog,
                               const std::string& requested, const std::string& served);
// actual_cost_json's shape for that bill.
std::string completion_bill_json(const nlohmann::json& usage, const ModelCatalog& catalog,
                                 const std::string& requested, const std::string& served);

// "12.3456" for amount 12.34559 and decimals 4: fixed decimals without the C library's
// locale-dependent printf, so every shell and both CLIs print money the same way.
std::string fixed_decimals(double amount, int decimals);

// JSON views with a fixed key order; absent optionals are null.
// (JSON text of one object.)
std::string cost_estimate_to_json(const CostEstimate& estimate);
std::string usage_cost_to_json(const UsageCost& cost);

// One-call helpers for the bindings (identical bytes in wasm and native). `metadata_json` is a
// single model entry or a whole metadata/models response; the model is looked up by id (the
// request's `model`, or for usage `model_id`, else the response's `model`). Output:
//   {"ok":true,"model":"id"|null,"prompt_tokens":…,"max_completion_tokens":…,"max_cost_usd":…,
//    "priced":bool}
//   {"ok":true,"model":…,"prompt_tokens":…,"completion_tokens":…,"cached_tokens":…,
//    "cost_usd":…,"priced":bool}
// or {"ok":false,"error":{"code":"invalid_json"|"invalid_metadata","message":…}}.
std::string estimate_cost_json(std::string_view request_json, std::string_view metadata_json);
std::string actual_cost_json(std::string_view usage_json, std::string_view metadata_json,
                             std::string_view model_id = {});

// The same two results against a catalog parsed once (the wasm client's per-request path).
std::string estimate_cost_json(const nlohmann::json& request, const ModelCatalog& catalog);
std::string actual_cost_json(const nlohmann::json& usage, const ModelCatalog& catalog,
                             const std::string& model_id);

}  // namespace llmbase
