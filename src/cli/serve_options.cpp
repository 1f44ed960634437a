// `llmbase serve` options: one table gives their types, which mode they belong to, their defaults and their help, and the parser checks each argument against it.
#include "cli/serve_options.h"

#include <cmath>
#include <cstdlib>
#include <utility>

namespace llmbase::cli {
namespace {

enum class Type {
  kText,    // any string; the server or the proxy checks what it means (a URL, an origin…)
  kList,    // "a,b": the trimmed, non-empty items; at least one
  kMounts,  // "PREFIX=DIR,…"
  kCount,   // a whole number, digits only
  kAmount,  // a decimal number ≥ 0 (USD)
  kSwitch,  // takes no value
};
enum class Scope { kBoth, kLocal, kProxy };
// Where the value goes in the instruction: top level (the shell's own), the startServer or
// startProxy options, or the proxy's spendLimit.
enum class Place { kTop, kStart, kSpend };

struct Rule {
  const char* name;
  Type type;
  Scope scope;
  Place place;
  const char* key;  // nullptr: not in the instruction
  // The default the help shows. The instruction carries it, so the Node server and proxy get it
  // explicitly rather than from their own constants; tests/e2e/cli-serve-options.test.mjs pins
  // each against those constants (DEFAULT_BALANCE_USD…). nullptr: none.
  const char* fallback;
};

constexpr Rule kRules[] = {
    {"help", Type::kSwitch, Scope::kBoth, Place::kTop, nullptr, nullptr},
    {"proxy", Type::kSwitch, Scope::kBoth, Place::kTop, nullptr, nullptr},
    {"port", Type::kCount, Scope::kBoth, Place::kTop, "port", "8787"},
    {"host", Type::kText, Scope::kBoth, Place::kTop, "host", "127.0.0.1"},
    {"static", Type::kText, Scope::kBoth, Place::kTop, "staticDir", nullptr},
    {"static-mount", Type::kMounts, Scope::kBoth, Place::kTop, "staticMounts", ""},
    {"quiet", Type::kSwitch, Scope::kBoth, Place::kTop, "quiet", nullptr},
    {"catalog", Type::kText, Scope::kLocal, Place::kStart, "catalog", nullptr},
    {"balance", Type::kAmount, Scope::kLocal, Place::kStart, "balance", "10"},
    {"keys", Type::kList, Scope::kLocal, Place::kStart, "keys", nullptr},
    {"chunk-delay-ms", Type::kCount, Scope::kLocal, Place::kStart, "chunkDelayMs", "20"},
    {"max-concurrent", Type::kCount, Scope::kLocal, Place::kStart, "maxConcurrent", "20"},
    {"upstream", Type::kText, Scope::kProxy, Place::kStart, "upstream", nullptr},
    {"allow-models", Type::kText, Scope::kProxy, Place::kStart, "allowModels", nullptr},
    {"max-tokens-cap", Type::kCount, Scope::kProxy, Place::kStart, "maxTokensCap", "4096"},
    {"rate-limit", Type::kText, Scope::kProxy, Place::kStart, "rateLimit", "20/min"},
    {"allowed-origins", Type::kText, Scope::kProxy, Place::kStart, "allowedOrigins", nullptr},
    {"trust-proxy", Type::kSwitch, Scope::kProxy, Place::kStart, "trustProxy", nullptr},
    {"allowed-hosts", Type::kText, Scope::kProxy, Place::kStart, "allowedHosts", nullptr},
    {"allow-params", Type::kText, Scope::kProxy, Place::kStart, "allowParams", nullptr},
    {"upstream-headers-timeout", Type::kCount, Scope::kProxy, Place::kStart,
     "upstreamHeadersTimeout", "120000"},
    {"upstream-idle-timeout", Type::kCount, Scope::kProxy, Place::kStart, "upstreamIdleTimeout",
     "60000"},
    {"redis", Type::kText, Scope::kProxy, Place::kTop, "redis", nullptr},
    {"spend-limit-client", Type::kAmount, Scope::kProxy, Place::kSpend, "perClientUSD", nullptr},
    {"spend-limit-site", Type::kAmount, Scope::kProxy, Place::kSpend, "siteUSD", nullptr},
    {"log-json", Type::kSwitch, Scope::kProxy, Place::kTop, "logJson", nullptr},
    {"shutdown-timeout", Type::kCount, Scope::kProxy, Place::kStart, "shutdownTimeout", "10000"},
};
constexpr std::size_t kRuleCount = sizeof(kRules) / sizeof(kRules[0]);

const Rule* rule_named(const std::string& name) {
  for (const Rule& r : kRules) {
    if (name == r.name) return &r;
  }
  return nullptr;
}

// As JSON writes it: the value shown in a message stays one line, whatever it holds.
std::string json_quoted(const std::string& text) {
  return nlohmann::json(text).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

bool all_digits(const std::string& text) {
  if (text.empty()) return false;
  for (char c : text) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// `--name` or `--name=value`, the name in lower case: [a-z][a-z0-9-]*.
bool split_option(const std::string& arg, std::string& name, std::string& value, bool& inline_v) {
  if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) return false;
  const auto eq = arg.find('=', 2);
  name = arg.substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
  inline_v = eq != std::string::npos;
  value = inline_v ? arg.substr(eq + 1) : std::string();
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// Decimal digits, an optional fraction and exponent: "2", "0.5", "1e3" (no sign, no hex).
bool decimal_amount(const std::string& text, double& out) {
  std::size_t i = 0;
  auto digits = [&] {
    const std::size_t from = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    return i > from;
  };
  if (!digits()) return false;
  if (i < text.size() && text[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    if (!digits()) return false;
  }
  if (i != text.size()) return false;
  out = std::strtod(text.c_str(), nullptr);
  return std::isfinite(out);
}

// N, N/s, N/sec, N/m, N/min, N/h or N/hour (any case), as the proxy reads --rate-limit.
bool rate_limit_text(const std::string& text) {
  const auto slash = text.find('/');
  if (!all_digits(text.substr(0, slash))) return false;
  if (slash == std::string::npos) return true;
  std::string unit = text.substr(slash + 1);
  for (char& c : unit) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  for (const char* u : {"s", "sec", "m", "min", "h", "hour"}) {
    if (unit == u) return true;
  }
  return false;
}

std::string trimmed(const std::string& text) {
  const auto first = text.find_first_not_of(" \t");
  if (first == std::string::npos) return {};
  return text.substr(first, text.find_last_not_of(" \t") - first + 1);
}

std::vector<std::string> comma_items(const std::string& text) {
  std::vector<std::string> items;
  std::size_t from = 0;
  for (;;) {
    const auto comma = text.find(',', from);
    items.push_back(text.substr(from, comma == std::string::npos ? comma : comma - from));
    if (comma == std::string::npos) return items;
    from = comma + 1;
  }
}

ServeParse usage_error(std::string message) {
  ServeParse p;
  p.outcome = ServeParse::Outcome::kUsageError;
  p.error = std::move(message) + " (see llmbase serve --help)";
  return p;
}

// The value of `rule` from `text` (already type-checked), as the instruction holds it; false with
// `error` set when its content is wrong.
bool convert(const Rule& rule, const std::string& text, nlohmann::json& out, std::string& error) {
  const std::string option = std::string("--") + rule.name;
  switch (rule.type) {
    case Type::kCount: out = std::strtoll(text.c_str(), nullptr, 10); return true;
    case Type::kAmount: {
      double amount = 0;
      decimal_amount(text, amount);
      out = amount;
      return true;
    }
    case Type::kList: {
      out = nlohmann::json::array();
      for (const auto& item : comma_items(text)) {
        if (!trimmed(item).empty()) out.push_back(trimmed(item));
      }
      if (out.empty()) error = option + " needs at least one item, e.g. " + option + " a,b";
      return !out.empty();
    }
    case Type::kMounts: {
      // "/dist=dist,assets/=public" → [["/dist/", "dist"], ["/assets/", "public"]], in order.
      out = nlohmann::json::array();
      for (const auto& item : comma_items(text)) {
        if (item.empty()) continue;
        const auto eq = item.find('=');
        if (eq == std::string::npos || eq == 0) {
          error = option + " takes PREFIX=DIR (e.g. /dist=dist), got " + json_quoted(item);
          return false;
        }
        std::string prefix = item.substr(0, eq);
        while (!prefix.empty() && prefix.back() == '/') prefix.pop_back();
        prefix += '/';
        if (prefix[0] != '/') prefix.insert(0, 1, '/');
        out.push_back(nlohmann::json::array({prefix, item.substr(eq + 1)}));
      }
      return true;
    }
    case Type::kSwitch: out = true; return true;
    case Type::kText: out = text; return true;
  }
  return true;
}

}  // namespace

std::string serve_default(const std::string& option) {
  const Rule* r = rule_named(option);
  return r && r->fallback ? r->fallback : "";
}

ServeParse parse_serve_options(const std::vector<std::string>& args) {
  bool given[kRuleCount] = {};
  std::string texts[kRuleCount];
  std::vector<std::size_t> order;  // rules in the order first given
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name, text;
    bool inline_value = false;
    if (!split_option(args[i], name, text, inline_value)) {
      return usage_error("unexpected argument " + json_quoted(args[i]) +
                         ": serve takes only options");
    }
    const Rule* rule = rule_named(name);
    if (!rule) return usage_error("unknown option --" + name);
    const std::string option = "--" + name;
    if (rule->type == Type::kSwitch) {
      if (inline_value) return usage_error(option + " takes no value");
    } else if (!inline_value) {
      if (i + 1 >= args.size()) return usage_error(option + " needs a value");
      text = args[++i];
    }
    double amount = 0;
    if (rule->type == Type::kCount && !all_digits(text)) {
      return usage_error(option + " must be a whole number, got " + json_quoted(text));
    }
    if (rule->type == Type::kCount && text.size() > 15) {
      return usage_error(option + " is too large, got " + json_quoted(text));
    }
    if (rule->type == Type::kAmount && !decimal_amount(text, amount)) {
      return usage_error(option + " must be a number ≥ 0 such as 2.5, got " + json_quoted(text));
    }
    const auto index = static_cast<std::size_t>(rule - kRules);
    if (!given[index]) order.push_back(index);
    given[index] = true;
    texts[index] = std::move(text);  // given twice: the last one counts
  }
  auto is_given = [&](const char* name) { return given[rule_named(name) - kRules]; };
  if (is_given("help")) {
    ServeParse p;
    p.outcome = ServeParse::Outcome::kHelp;
    return p;
  }
  const bool proxy = is_given("proxy");
  for (std::size_t index : order) {
    const Rule& r = kRules[index];
    if (r.scope == Scope::kLocal && proxy) {
      return usage_error(std::string("--") + r.name + " is for the local server, not --proxy");
    }
    if (r.scope == Scope::kProxy && !proxy) {
      return usage_error(std::string("--") + r.name + " needs --proxy");
    }
  }
  const std::size_t upstream = static_cast<std::size_t>(rule_named("upstream") - kRules);
  if (proxy && texts[upstream].empty()) {
    return usage_error("--proxy needs --upstream URL (e.g. https://api.llmbase.ai/v1)");
  }
  const std::size_t rate = static_cast<std::size_t>(rule_named("rate-limit") - kRules);
  if (given[rate] && !rate_limit_text(texts[rate])) {
    return usage_error("--rate-limit takes N/min (or N/s, N/h; 0 = off), got " +
                       json_quoted(texts[rate]));
  }

  ServeParse p;
  nlohmann::json& out = p.instruction;
  out = {{"mode", proxy ? "proxy" : "local"}};
  nlohmann::json start = nlohmann::json::object();
  nlohmann::json spend = nlohmann::json::object();
  for (std::size_t index = 0; index < kRuleCount; ++index) {
    const Rule& r = kRules[index];
    if (!r.key || (r.scope == Scope::kLocal && proxy) || (r.scope == Scope::kProxy && !proxy)) {
      continue;
    }
    nlohmann::json value;
    if (r.type == Type::kSwitch && !given[index]) {
      value = false;
    } else if (!given[index] && !r.fallback) {
      continue;  // none: the server's or the proxy's own behaviour (e.g. any llmbase_ key)
    } else {
      std::string error;
      if (!convert(r, given[index] ? texts[index] : r.fallback, value, error)) {
        return usage_error(error);
      }
    }
    nlohmann::json& target = r.place == Place::kTop     ? out
                             : r.place == Place::kStart ? start
                                                        : spend;
    target[r.key] = std::move(value);
  }
  if (!spend.empty()) start["spendLimit"] = std::move(spend);
  out[proxy ? "proxy" : "server"] = std::move(start);
  return p;
}

}  // namespace llmbase::cli
