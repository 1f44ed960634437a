// Benchmark helper (not a test): runs a command and prints its wall time, user+sys CPU and peak RSS (wait4) as JSON on stderr.
// Usage: llmbase-bench-rusage CMD [ARGS...]   The child inherits stdin/stdout/stderr; the last
// stderr line is `bench-rusage {"wall_us":…,"user_us":…,"sys_us":…,"maxrss_kb":…,"status":…}`.
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <ctime>

namespace {

long long micros(const timeval& t) {
  return static_cast<long long>(t.tv_sec) * 1000000 + t.tv_usec;
}

long long now_us() {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<long long>(t.tv_sec) * 1000000 + t.tv_nsec / 1000;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: llmbase-bench-rusage CMD [ARGS...]\n");
    return 2;
  }
  const long long started = now_us();
  const pid_t pid = fork();
  if (pid < 0) {
    std::perror("fork");
    return 1;
  }
  if (pid == 0) {
    execvp(argv[1], argv + 1);
    std::perror(argv[1]);
    _exit(127);
  }
  int status = 0;
  rusage usage{};
  if (wait4(pid, &status, 0, &usage) < 0) {
    std::perror("wait4");
    return 1;
  }
  const long long wall = now_us() - started;
  const int code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  std::fprintf(
      stderr,
      "bench-rusage {\"wall_us\":%lld,\"user_us\":%lld,\"sys_us\":%lld,\"maxrss_kb\":%ld,\"status\":%d}\n",
      wall, micros(usage.ru_utime), micros(usage.ru_stime), usage.ru_maxrss, code);
  return code;
}
