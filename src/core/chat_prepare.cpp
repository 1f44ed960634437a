// Pre-send checks of a chat request: the order and the rules both clients share (chat_prepare.h).
#include "chat_prepare.h"

#include "json_text.h"
#include "validation_error.h"

namespace llmbase {
namespace {

std::string shortest(double value) { return nlohmann::json(value).dump(); }

std::string model_of(const nlohmann::json& request) {
  if (!request.is_object()) return {};
  auto it = request.find("model");
  return it != request.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Finding metadata_unavailable_finding(const std::string& reason) {
  return Finding{"", finding_code::kMetadataUnavailable, Severity::kWarning,
                 "Model metadata could not be fetched (" +
                     (reason.empty() ? "unknown error" : reason) +
                     "); the request was not checked against it."};
}

std::optional<Finding> budget_finding(const CostEstimate& estimate, double budget_usd) {
  if (!estimate.max_cost_usd) {
    return Finding{"model", finding_code::kUnpricedModel, Severity::kError,
                   "budgetUSD is set but the model has no pricing in the metadata, so its cost "
                   "cannot be bounded; remove budgetUSD or choose a priced model."};
  }
  if (*estimate.max_cost_usd <= budget_usd) return std::nullopt;
  const std::string cap =
      estimate.max_completion_tokens ? std::to_string(*estimate.max_completion_tokens) : "?";
  return Finding{"max_tokens", finding_code::kOverBudget, Severity::kError,
                 "The worst case costs $" + fixed_decimals(*estimate.max_cost_usd, 6) + " (" +
                     std::to_string(estimate.prompt_tokens) + " prompt tokens + up to " + cap +
                     " completion tokens), above budgetUSD $" + shortest(budget_usd) +
                     "; lower max_tokens or raise budgetUSD."};
}

ChatCheckPlan plan_chat_checks(const ChatChecks& checks, bool catalog_fresh) {
  ChatCheckPlan plan;
  const bool budget = checks.budget_usd.has_value();
  if (checks.shape_only || (checks.mode == ChatChecks::Mode::kOff && !budget)) return plan;
  plan.shape_first = checks.mode == ChatChecks::Mode::kError && !catalog_fresh;
  plan.needs_catalog = true;
  return plan;
}

ChatPreflight check_chat_request(const nlohmann::json& request, const ModelCatalog* catalog,
                                 const ChatChecks& checks) {
  ChatPreflight out;
  using Mode = ChatChecks::Mode;
  if (checks.shape_only) {
    if (checks.mode != Mode::kError) return out;
    for (Finding& f : validate_request(request, nullptr, nullptr, checks.validation)) {
      if (f.severity == Severity::kError) out.findings.push_back(std::move(f));
    }
    out.refused = !out.findings.empty();
  } else {
    if (!catalog && (checks.mode != Mode::kOff || checks.budget_usd)) {
      // A budget that could not be checked is said, even with validation off: it was asked for.
      out.findings.push_back(metadata_unavailable_finding(checks.metadata_error));
    } else if (checks.mode != Mode::kOff) {
      out.findings = validate_against_catalog(request, *catalog, checks.validation);
    }
    if (checks.budget_usd && catalog) {
      out.estimate = estimate_cost(request, catalog->find(model_of(request)));
      if (auto over = budget_finding(*out.estimate, *checks.budget_usd))
        out.findings.push_back(std::move(*over));
    }
    // Off still enforces the budget: only the budget's findings are there to refuse.
    out.refused = checks.mode != Mode::kWarn && has_errors(out.findings);
  }
  if (out.refused) out.error = validation_error(parse_json_text(findings_to_json(out.findings)));
  return out;
}

ChatChecks chat_checks_from_json(const nlohmann::json& options) {
  ChatChecks checks;
  if (!options.is_object()) return checks;
  const std::string mode = detail::string_or_empty(options, "mode");
  if (mode == "warn") checks.mode = ChatChecks::Mode::kWarn;
  if (mode == "off") checks.mode = ChatChecks::Mode::kOff;
  if (auto it = options.find("budgetUSD"); it != options.end() && it->is_number()) {
    checks.budget_usd = it->get<double>();
  }
  if (auto it = options.find("allowParams"); it != options.end()) {
    parse_validation_options(nlohmann::json{{"allow_params", *it}}, checks.validation);
  }
  auto flag = [&options](const char* key) {
    auto it = options.find(key);
    return it != options.end() && it->is_boolean() && it->get<bool>();
  };
  checks.shape_only = flag("shapeOnly");
  checks.dry_run = flag("dryRun");
  checks.metadata_error = detail::string_or_empty(options, "metadataError");
  return checks;
}

std::string preflight_to_json(const ChatPreflight& preflight) {
  detail::OrderedObjectText out;
  out.add("ok", !preflight.refused)
      .add_text("findings", findings_to_json(preflight.findings))
      .add_text("estimate",
                preflight.estimate ? cost_estimate_to_json(*preflight.estimate) : "null");
  if (preflight.refused) {
    out.add_text("refusal", detail::OrderedObjectText()
                                .add("message", preflight.error.message)
                                .add("code", preflight.error.code)
                                .add("param", preflight.error.param)
                                .str());
  }
  return out.str();
}

}  // namespace llmbase
