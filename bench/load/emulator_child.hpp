#pragma once
// A kmeet-emulator child process for the load programs (kmeet-bench, kmeet-throttle-bench).

#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

extern char** environ;

namespace kmeet_bench {

// A kmeet-emulator child on a free port; stopped with SIGTERM.
class Emulator {
 public:
  /// Starts `path` with `extra` arguments (e.g. `--rate-limit 60`).
  Emulator(const std::string& path, const std::vector<std::string>& extra) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, fds[1], STDOUT_FILENO);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    const std::string threads = std::to_string(std::max(8U, std::thread::hardware_concurrency()));
    std::vector<std::string> args{path, "--port", "0", "--threads", threads};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, path.c_str(), &fa, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      throw std::runtime_error("cannot start " + path + ": " + std::strerror(rc));
    }
    std::string line;
    char ch = 0;
    while (read(fds[0], &ch, 1) == 1 && ch != '\n') line += ch;
    close(fds[0]);
    if (line.rfind("listening ", 0) != 0) {
      stop();
      throw std::runtime_error("kmeet-emulator did not print 'listening PORT' (got '" + line + "')");
    }
    port_ = std::stoi(line.substr(10));
  }
  ~Emulator() { stop(); }
  Emulator(const Emulator&) = delete;
  Emulator& operator=(const Emulator&) = delete;
  [[nodiscard]] int port() const { return port_; }

 private:
  void stop() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
      pid_ = -1;
    }
  }
  pid_t pid_ = -1;
  int port_ = 0;
};

}  // namespace kmeet_bench
