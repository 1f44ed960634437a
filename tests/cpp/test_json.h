// Test helper shared by the core's GoogleTest files: parse JSON text, failing the test if it is invalid.
#pragma once

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

namespace llmbase::testing {

inline nlohmann::json parse(const std::string& text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  EXPECT_FALSE(j.is_discarded()) << text;
  return j;
}

}  // namespace llmbase::testing
