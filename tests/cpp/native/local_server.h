// Test helper: starts the local LLMBase-compatible server (node dist/cli.mjs serve) on a free port for a GoogleTest suite.
#pragma once

#include <cstdio>
#include <string>

namespace llmbase::testing {

// Runs `node dist/cli.mjs serve --port 0` and reads its base URL; stops it on destruction.
class LocalServer {
 public:
  explicit LocalServer(const std::string& extra_flags = "");
  ~LocalServer();
  LocalServer(const LocalServer&) = delete;
  LocalServer& operator=(const LocalServer&) = delete;

  const std::string& url() const { return url_; }  // e.g. http://127.0.0.1:40123/v1
  bool ok() const { return !url_.empty(); }

 private:
  FILE* pipe_ = nullptr;
  int pid_ = 0;
  std::string url_;
};

}  // namespace llmbase::testing
