#pragma once
// Runs the real `kmeet` binary (KMEET_CLI_PATH) in a clean environment and captures its output.

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <map>
#include <string>
#include <vector>

namespace kmeet::test {

struct CliResult {
  int code = -1;
  std::string out;
  std::string err;
};

inline std::string kmeet_cli_path() {
  if (const char* p = std::getenv("KMEET_CLI_PATH")) return p;
#ifdef KMEET_CLI_PATH
  return KMEET_CLI_PATH;
#else
  return {};
#endif
}

/// A started `kmeet` process (stdin from `input`, stdout/stderr captured unless `discard`).
class KmeetProcess {
 public:
  KmeetProcess(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
               const std::string& input = {}, bool discard = false) {
    int in[2], out[2], err[2];
    if (::pipe(in) != 0 || ::pipe(out) != 0 || ::pipe(err) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      ::dup2(in[0], 0);
      if (discard) {
        int null = ::open("/dev/null", O_WRONLY);
        ::dup2(null, 1);
        ::dup2(null, 2);
      } else {
        ::dup2(out[1], 1);
        ::dup2(err[1], 2);
      }
      for (int fd : {in[0], in[1], out[0], out[1], err[0], err[1]}) ::close(fd);
      std::string path = kmeet_cli_path();
      std::vector<std::string> storage;
      storage.push_back(path);
      storage.insert(storage.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (auto& s : storage) argv.push_back(s.data());
      argv.push_back(nullptr);
      std::vector<std::string> envs;
      for (const auto& [k, v] : env) envs.push_back(k + "=" + v);
      std::vector<char*> envp;
      for (auto& s : envs) envp.push_back(s.data());
      envp.push_back(nullptr);
      ::execve(path.c_str(), argv.data(), envp.data());
      ::_exit(127);
    }
    ::close(in[0]);
    ::close(out[1]);
    ::close(err[1]);
    out_fd_ = out[0];
    err_fd_ = err[0];
    // Small inputs fit the pipe buffer; large ones are written by a child-side-safe loop.
    std::size_t off = 0;
    while (off < input.size()) {
      auto n = ::write(in[1], input.data() + off, input.size() - off);
      if (n <= 0) break;
      off += static_cast<std::size_t>(n);
    }
    ::close(in[1]);
  }
  ~KmeetProcess() {
    if (pid_ > 0 && !reaped_) {
      ::kill(pid_, SIGKILL);
      int st = 0;
      ::waitpid(pid_, &st, 0);
    }
    if (out_fd_ >= 0) ::close(out_fd_);
    if (err_fd_ >= 0) ::close(err_fd_);
  }
  KmeetProcess(const KmeetProcess&) = delete;
  KmeetProcess& operator=(const KmeetProcess&) = delete;

  [[nodiscard]] int pid() const { return pid_; }

  /// Reads everything and waits for the exit status (-signal when killed).
  CliResult wait() {
    CliResult r;
    pollfd fds[2] = {{out_fd_, POLLIN, 0}, {err_fd_, POLLIN, 0}};
    int open = 2;
    char buf[65536];
    while (open > 0) {
      if (::poll(fds, 2, -1) < 0) break;
      for (int i = 0; i < 2; ++i) {
        if (fds[i].fd < 0 || (fds[i].revents & (POLLIN | POLLHUP)) == 0) continue;
        auto n = ::read(fds[i].fd, buf, sizeof buf);
        if (n <= 0) {
          ::close(fds[i].fd);
          (i == 0 ? out_fd_ : err_fd_) = -1;
          fds[i].fd = -1;
          --open;
        } else {
          (i == 0 ? r.out : r.err).append(buf, static_cast<std::size_t>(n));
        }
      }
    }
    int st = 0;
    ::waitpid(pid_, &st, 0);
    reaped_ = true;
    r.code = WIFEXITED(st) ? WEXITSTATUS(st) : -WTERMSIG(st);
    return r;
  }

  void kill9() { ::kill(pid_, SIGKILL); }

 private:
  int pid_ = -1;
  int out_fd_ = -1;
  int err_fd_ = -1;
  bool reaped_ = false;
};

/// Runs `kmeet args...` to completion.
inline CliResult run_kmeet(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
                           const std::string& input = {}) {
  KmeetProcess p(args, env, input);
  return p.wait();
}

}  // namespace kmeet::test
