// Pre-send checks of a chat request in one pass: validation against model metadata, worst-case cost, budget.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cost.h"
#include "error.h"
#include "model_metadata.h"
#include "request_validator.h"

namespace llmbase {

// What the caller asked to be checked before a chat request leaves (the clients' `validation`
// and `budgetUSD` options).
struct ChatChecks {
  enum class Mode { kError, kWarn, kOff };
  Mode mode = Mode::kError;
  std::optional<double> budget_usd;  // refuse when the worst case costs more
  ValidationOptions validation;      // allow_params
  // No metadata yet: run only the rules that need none and report only their errors, so that a
  // malformed request is refused before the metadata request (mode error).
  bool shape_only = false;
  // Why there is no catalog, when there is none (the metadata request failed): becomes one
  // `metadata_unavailable` warning, never a refusal (Decisions §3).
  std::string metadata_error;
  bool dry_run = false;  // check only: the caller does not mean to send (validate())
};

struct ChatPreflight {
  std::vector<Finding> findings;
  std::optional<CostEstimate> estimate;  // when a budget was checked
  bool refused = false;                  // an error finding the mode does not let through
  Error error;  // when refused: the "Request not sent: …" error every client raises
};

// The steps a shell takes before it can check a request, decided here so that the JS client,
// the native Client and the proxy run the same ones (Decisions §3).
struct ChatCheckPlan {
  // Check with shape_only first, before any metadata request: mode error and no fresh catalog
  // at hand, so a malformed request is refused without a round trip.
  bool shape_first = false;
  // Get the catalog (cached, else fetched); when that fails, check with metadata_error set.
  bool needs_catalog = false;
};
ChatCheckPlan plan_chat_checks(const ChatChecks& checks, bool catalog_fresh);

// Runs the checks. `catalog` is the parsed metadata, or nullptr when there is none.
ChatPreflight check_chat_request(const nlohmann::json& request, const ModelCatalog* catalog,
                                 const ChatChecks& checks);

// {"mode":"error|warn|off","budgetUSD":n,"allowParams":[…],"shapeOnly":b,"metadataError":"…",
//  "dryRun":b}; absent or mistyped keys keep their defaults (the JS shell checks option types).
ChatChecks chat_checks_from_json(const nlohmann::json& options);

// {"ok":!refused,"findings":[…],"estimate":{…}|null[,"refusal":{"message","code","param"}]}
// ("refusal", not "error": {"error":…} is what a call refused before any I/O answers)
std::string preflight_to_json(const ChatPreflight& preflight);

// The `metadata_unavailable` warning for a request that could not be checked, and why.
Finding metadata_unavailable_finding(const std::string& reason);

// The finding that refuses a worst case above `budget_usd`, or nullopt when it fits.
std::optional<Finding> budget_finding(const CostEstimate& estimate, double budget_usd);

}  // namespace llmbase
