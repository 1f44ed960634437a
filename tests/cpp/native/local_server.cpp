// Starts and stops the local server for the native client tests (a child process per suite).
#include "local_server.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <regex>

namespace llmbase::testing {

LocalServer::LocalServer(const std::string& extra_flags) {
  int fds[2];
  if (pipe(fds) != 0) return;
  pid_ = fork();
  if (pid_ == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    const std::string command =
        "exec node " LLMBASE_REPO_DIR "/dist/cli.mjs serve --port 0 --quiet " + extra_flags;
    execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  pipe_ = fdopen(fds[0], "r");
  char line[512];
  const std::regex pattern(R"((http://127\.0\.0\.1:\d+/v1))");
  while (pipe_ && std::fgets(line, sizeof line, pipe_)) {
    std::cmatch match;
    if (std::regex_search(line, match, pattern)) {
      url_ = match[1].str();
      break;
    }
  }
}

LocalServer::~LocalServer() {
  if (pid_ > 0) {
    kill(pid_, SIGINT);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (pipe_) fclose(pipe_);
}

}  // namespace llmbase::testing
