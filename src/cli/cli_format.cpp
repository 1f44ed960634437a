// Exit codes, one-line error messages, output tables and help of the `llmbase` CLI front end.
#include "cli/cli_format.h"

#include <cmath>

#include "core/cost.h"
#include "core/json_text.h"

namespace llmbase {
namespace {

struct KindText {
  ErrorKind kind;
  int exit_code;
  const char* what;  // what happened, in words
  const char* fix;   // what to do about it
};

constexpr KindText kTexts[] = {
    {ErrorKind::kInvalidArgument, exit_code::kUsage, "invalid input",
     "fix the request or the options and run again"},
    {ErrorKind::kBadRequest, exit_code::kValidation, "request refused",
     "check the named parameter against `llmbase metadata` for this model"},
    {ErrorKind::kAuthentication, exit_code::kAuthentication, "authentication failed",
     "set LLMBASE_API_KEY to an llmbase_ inference key"},
    {ErrorKind::kInsufficientBalance, exit_code::kBalance, "insufficient balance",
     "top up the prepaid balance or lower --max-tokens"},
    {ErrorKind::kPermissionDenied, exit_code::kApiError, "permission denied",
     "use a key and a model your account may use"},
    {ErrorKind::kNotFound, exit_code::kNotFound, "not found",
     "list the available models with `llmbase models`"},
    {ErrorKind::kConflict, exit_code::kApiError, "conflict", "retry the request"},
    {ErrorKind::kUnprocessable, exit_code::kValidation, "request not processable",
     "fix the request body"},
    {ErrorKind::kRateLimit, exit_code::kRateLimit, "rate limited", "wait and retry"},
    {ErrorKind::kConcurrencyLimit, exit_code::kRateLimit, "too many concurrent requests",
     "retry when your other requests have finished"},
    {ErrorKind::kInternalServer, exit_code::kApiError, "server error", "retry later"},
    {ErrorKind::kApiStatus, exit_code::kApiError, "unexpected HTTP status", "retry later"},
    {ErrorKind::kStreamError, exit_code::kIncomplete, "the stream reported an error",
     "retry the request"},
    {ErrorKind::kInvalidResponse, exit_code::kIncomplete, "invalid response",
     "retry; if it persists, report the server's reply"},
    {ErrorKind::kIncompleteStream, exit_code::kIncomplete, "the reply was cut short",
     "retry the request"},
    {ErrorKind::kEventTooLarge, exit_code::kIncomplete, "a stream event was too large",
     "report the server's reply"},
    {ErrorKind::kReplyTooLarge, exit_code::kIncomplete, "the reply passed its size cap",
     "ask for less with --max-tokens"},
    {ErrorKind::kConnection, exit_code::kConnection, "connection failed",
     "check LLMBASE_BASE_URL and the network"},
    {ErrorKind::kTimeout, exit_code::kConnection, "timed out",
     "retry, or allow more time with --timeout"},
    {ErrorKind::kIdleTimeout, exit_code::kConnection, "the server went silent",
     "retry, or allow longer pauses with --idle-timeout"},
    {ErrorKind::kUserAbort, exit_code::kAborted, "aborted", "run again to retry"},
    {ErrorKind::kValidation, exit_code::kValidation, "request not sent",
     "change the request or pick a model that supports it (`llmbase metadata`)"},
};

const KindText* text_for(ErrorKind kind) {
  for (const auto& t : kTexts) {
    if (t.kind == kind) return &t;
  }
  return nullptr;
}

}  // namespace

int exit_code_for(ErrorKind kind) {
  if (kind == ErrorKind::kNone) return exit_code::kOk;
  const KindText* t = text_for(kind);
  return t ? t->exit_code : exit_code::kApiError;
}

std::string format_cli_error(const Error& error) {
  const KindText* t = text_for(error.kind);
  std::string line = "llmbase: ";
  line += t ? t->what : "error";
  if (error.status || !error.code.empty()) {
    line += " [";
    if (error.status) line += "HTTP " + std::to_string(error.status);
    if (error.status && !error.code.empty()) line += ' ';
    line += error.code;
    line += ']';
  }
  std::string message = error.message;
  // One line, whatever the server sent.
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  if (!message.empty()) line += ": " + message;
  if (t) line += std::string(" — ") + t->fix;
  return line;
}

namespace {

const nlohmann::json* list_items(const nlohmann::json& list) {
  if (list.is_array()) return &list;
  if (!list.is_object()) return nullptr;
  auto data = list.find("data");
  return data != list.end() && data->is_array() ? &*data : nullptr;
}

// Four fixed decimals, so both CLIs print prices the same way whatever their float printing.
std::string money(const nlohmann::json& value) {
  if (!value.is_number()) return "?";
  const double amount = value.get<double>();
  return std::isfinite(amount) ? fixed_decimals(amount, 4) : "?";
}

std::string joined(const nlohmann::json& list) {
  std::string out;
  if (!list.is_array()) return out;
  for (const auto& item : list) {
    if (!item.is_string()) continue;
    if (!out.empty()) out += ',';
    out += item.get<std::string>();
  }
  return out;
}

}  // namespace

namespace {

// JSON has one number type: 4.0 and 4 are the same value, but nlohmann prints a double 4.0 as
// "4.0" while JavaScript prints "4". Integral doubles become integers so both CLIs agree.
void normalise_numbers(nlohmann::json& value) {
  if (value.is_number_float()) {
    const double d = value.get<double>();
    if (d == static_cast<double>(static_cast<long long>(d)) && d > -9.0e15 && d < 9.0e15) {
      value = static_cast<long long>(d);
    }
  } else if (value.is_structured()) {
    for (auto& item : value) normalise_numbers(item);
  }
}

}  // namespace

std::string format_json(const nlohmann::json& value) {
  nlohmann::json copy = value;
  normalise_numbers(copy);
  return copy.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

std::string format_models(const nlohmann::json& list) {
  std::string out;
  if (const auto* items = list_items(list)) {
    for (const auto& model : *items) out += detail::string_or_empty(model, "id") + "\n";
  }
  return out;
}

std::string format_metadata(const nlohmann::json& list) {
  std::string out;
  const auto* items = list_items(list);
  if (!items) return out;
  for (const auto& model : *items) {
    if (!model.is_object()) continue;
    out += detail::string_or_empty(model, "id");
    const auto features = model.find("supported_features");
    const std::string caps = features != model.end() ? joined(*features) : std::string();
    out += "  features=" + (caps.empty() ? std::string("-") : caps);
    const auto inputs = model.find("input_modalities");
    if (inputs != model.end()) out += "  input=" + joined(*inputs);
    const auto context = model.find("context_length");
    if (context != model.end() && context->is_number_integer()) {
      out += "  context=" + std::to_string(context->get<long long>());
    }
    const auto pricing = model.find("pricing");
    if (pricing != model.end() && pricing->is_object()) {
      const auto in = pricing->find("input");
      const auto outp = pricing->find("output");
      out += "  $/1M in=" + (in != pricing->end() ? money(*in) : std::string("?")) +
             " out=" + (outp != pricing->end() ? money(*outp) : std::string("?"));
    }
    out += "\n";
  }
  return out;
}

std::string format_balance(const nlohmann::json& balance) {
  const auto amount = balance.is_object() ? balance.find("balance") : balance.end();
  std::string currency =
      balance.is_object() ? detail::string_or_empty(balance, "currency") : std::string();
  if (currency.empty()) currency = "USD";
  if (amount == balance.end()) return format_json(balance);
  return "balance: " + money(*amount) + " " + currency + "\n";
}

#ifndef LLMBASE_VERSION
#define LLMBASE_VERSION "0.0.0"  // CMake passes the project's version (= package.json's)
#endif

std::string cli_help(const std::string& command) {
  static const char* const kCommon =
      "Environment: LLMBASE_API_KEY (the key), LLMBASE_BASE_URL (default "
      "https://api.llmbase.ai/v1).\n"
      "Common options: --base-url URL, --timeout MS, --idle-timeout MS, --max-retries N,\n"
      "  --header \"Name: value\" (repeatable), --help\n"
      "Exit codes: 0 ok, 1 API error, 2 usage, 3 authentication, 4 balance, 5 rate limit,\n"
      "  6 connection/timeout, 7 refused (validation or 400), 8 stream cut short, 9 not found,\n"
      "  130 interrupted.\n";
  if (command.empty()) {
    return std::string("llmbase " LLMBASE_VERSION
                       ": client tools for the LLMBase inference API\n\n"
                       "Usage: llmbase <command> [options]\n\n"
                       "Commands:\n"
                       "  chat [PROMPT]     stream a reply to PROMPT (or stdin) to stdout\n"
                       "  models            list model ids\n"
                       "  metadata          models with features, context and prices\n"
                       "  balance           the prepaid balance\n"
                       "  validate FILE     check a request (JSON) against model metadata\n"
                       "  serve             start the local LLMBase-compatible server (or, with "
                       "--proxy, the\n"
                       "                    key-safe proxy); Node CLI only: npx llmbase serve\n\n"
                       "Run \"llmbase <command> --help\" for a command's options.\n\n") +
           kCommon;
  }
  if (command == "chat") {
    return std::string(
               "Usage: llmbase chat [options] [PROMPT…]   (no PROMPT, or '-': read stdin)\n"
               "  --model ID        model (default LLMBASE_MODEL, else deepseek/deepseek-v4-flash)\n"
               "  --system TEXT     a system message first\n"
               "  --max-tokens N    cap the reply\n"
               "  --json            print the whole chat.completion as JSON at the end\n\n") +
           kCommon;
  }
  if (command == "models") {
    return std::string("Usage: llmbase models [--json]\n\n") + kCommon;
  }
  if (command == "metadata") {
    return std::string("Usage: llmbase metadata [--json]\n\n") + kCommon;
  }
  if (command == "balance") {
    return std::string("Usage: llmbase balance [--json]\n\n") + kCommon;
  }
  if (command == "validate") {
    return std::string(
               "Usage: llmbase validate [--metadata FILE] [--allow PARAM]… REQUEST.json   ('-' = "
               "stdin)\n"
               "  Prints {ok, findings} as JSON; exit 7 when a finding is an error.\n"
               "  Without --metadata the live metadata of the base URL is used.\n\n") +
           kCommon;
  }
  return {};
}

}  // namespace llmbase
