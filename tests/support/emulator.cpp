#include "support/emulator.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <stdexcept>
#include <thread>

namespace kmeet::test {

std::string emulator_path() {
  if (const char* env = std::getenv("KMEET_EMULATOR_PATH"); env != nullptr && *env != '\0') {
    return env;
  }
#ifdef KMEET_EMULATOR_PATH
  return KMEET_EMULATOR_PATH;
#else
  return {};
#endif
}

EmulatorProcess::EmulatorProcess() : EmulatorProcess(Options{}) {}

EmulatorProcess::EmulatorProcess(Options options) : options_(std::move(options)) { start(); }

EmulatorProcess::~EmulatorProcess() { stop(); }

std::string EmulatorProcess::base_url() const {
  // With --tls-cert the emulator serves HTTPS on the same port.
  bool tls = false;
  for (const auto& a : options_.extra_args) tls = tls || a == "--tls-cert";
  return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

void EmulatorProcess::start() {
  const std::string path = emulator_path();
  if (path.empty()) {
    throw std::runtime_error("kmeet-emulator not built: set KMEET_EMULATOR_PATH");
  }
  std::vector<std::string> args = {path,
                                   "--port",
                                   "0",
                                   "--host",
                                   "127.0.0.1",
                                   "--partner-id",
                                   std::to_string(options_.partner_id),
                                   "--admin-secret",
                                   options_.admin_secret,
                                   "--user-secret",
                                   options_.user_secret};
  args.insert(args.end(), options_.extra_args.begin(), options_.extra_args.end());

  int fds[2];
  if (pipe(fds) != 0) {
    throw std::runtime_error("pipe() failed");
  }
  const pid_t pid = fork();
  if (pid < 0) {
    close(fds[0]);
    close(fds[1]);
    throw std::runtime_error("fork() failed");
  }
  const char* const err_path = options_.stderr_file.empty() ? nullptr : options_.stderr_file.c_str();
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    if (err_path != nullptr) {
      const int err = open(err_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
      if (err >= 0) dup2(err, STDERR_FILENO);  // dup2 clears FD_CLOEXEC on the copy
    }
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    argv.reserve(args.size() + 1);
    for (auto& a : args) {
      argv.push_back(a.data());
    }
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(fds[1]);
  pid_ = pid;

  // Read the first line ("listening PORT") with a 15 s deadline.
  std::string line;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(15);
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    pollfd p{fds[0], POLLIN, 0};
    if (poll(&p, 1, 100) <= 0) {
      continue;
    }
    char c = 0;
    const ssize_t n = read(fds[0], &c, 1);
    if (n <= 0) {
      break;
    }
    if (c == '\n') {
      done = true;
    } else {
      line.push_back(c);
    }
  }
  close(fds[0]);
  if (!done || line.rfind("listening ", 0) != 0) {
    stop();
    throw std::runtime_error("kmeet-emulator did not start (first line: '" + line + "')");
  }
  port_ = std::stoi(line.substr(10));
}

int EmulatorProcess::stop() {
  if (pid_ <= 0) {
    return exit_status_;
  }
  kill(pid_, SIGTERM);
  int status = 0;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (true) {
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      break;
    }
    if (r < 0) {
      status = -1;
      break;
    }
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      waitpid(pid_, &status, 0);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
  exit_status_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return exit_status_;
}

void EmulatorTest::SetUp() { emulator_ = std::make_unique<EmulatorProcess>(emulator_options()); }

void EmulatorTest::TearDown() { emulator_.reset(); }

}  // namespace kmeet::test
