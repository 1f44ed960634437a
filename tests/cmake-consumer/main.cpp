// Example consumer of the installed C++ client: streams one reply (LLMBASE_API_KEY / LLMBASE_BASE_URL from the environment).
#include <llmbase/client.h>

#include <iostream>

int main(int argc, char** argv) {
  llmbase::Client client;  // key and base URL from the environment
  const std::string prompt = argc > 1 ? argv[1] : "Hello from a CMake consumer";
  nlohmann::json request = {{"model", "qwen/qwen3.5-9b"},
                            {"messages", {{{"role", "user"}, {"content", prompt}}}}};
  auto result = client.stream_chat_completion(request, [](const nlohmann::json& chunk) {
    const auto& delta = chunk["choices"][0]["delta"];
    if (delta.contains("content") && delta["content"].is_string()) {
      std::cout << delta["content"].get<std::string>() << std::flush;
    }
    return true;
  });
  std::cout << "\n";
  if (!result.ok()) {
    std::cerr << "consumer: " << llmbase::error_kind_name(result.error.kind) << ": "
              << result.error.message << "\n";
    return 1;
  }
  std::cerr << "consumer: finish_reason="
            << result.value["choices"][0]["finish_reason"].get<std::string>() << "\n";
  return 0;
}
