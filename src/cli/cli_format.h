// What the `llmbase` CLI front end prints (errors, tables, help) and the exit code of each error kind.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/error.h"

namespace llmbase {

// Exit codes shared by the native and the Node CLI (documented in `llmbase --help`).
namespace exit_code {
inline constexpr int kOk = 0;
inline constexpr int kApiError = 1;        // any other API or response error
inline constexpr int kUsage = 2;           // bad command line or input file
inline constexpr int kAuthentication = 3;  // 401, missing or wrong key
inline constexpr int kBalance = 4;         // 402 insufficient balance
inline constexpr int kRateLimit = 5;       // 429 (rate limit or concurrency guard)
inline constexpr int kConnection = 6;      // connection failure or timeout
inline constexpr int kValidation = 7;      // refused before sending (findings), or a 400
inline constexpr int kIncomplete = 8;      // the stream failed or ended early
inline constexpr int kNotFound = 9;        // 404 (unknown model or path)
inline constexpr int kAborted = 130;       // interrupted (Ctrl-C), as shells report SIGINT
}  // namespace exit_code

int exit_code_for(ErrorKind kind);

// One line for stderr: "llmbase: <what happened> [HTTP 401 invalid_api_key]: <message> — <what to do>".
// Both CLIs print exactly this, so their errors compare equal.
std::string format_cli_error(const Error& error);

// The text the CLIs print, made here so that both print the same bytes. Each ends in "\n".
std::string format_json(const nlohmann::json& value);       // 2-space indented JSON
std::string format_models(const nlohmann::json& list);      // one model id per line
std::string format_metadata(const nlohmann::json& list);    // one line per model: caps, prices
std::string format_balance(const nlohmann::json& balance);  // "balance: 9.99 USD"

// `llmbase --help` and `llmbase COMMAND --help`; empty for an unknown command (and for serve,
// whose help is serve_help() in cli/serve_options.h, next to its options).
std::string cli_help(const std::string& command);

}  // namespace llmbase
