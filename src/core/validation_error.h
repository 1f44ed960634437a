// The error of a request refused before sending, built from its validation findings (shared by every client and the CLI).
#pragma once

#include <nlohmann/json.hpp>

#include "error.h"

namespace llmbase {

// From findings ([{path, code, severity, message}]): code and param of the first error finding,
// and up to three of them in words ("Request not sent: a; b; c (+N more)").
Error validation_error(const nlohmann::json& findings);

}  // namespace llmbase
