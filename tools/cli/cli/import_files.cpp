#include "cli/import_files.hpp"

#include <fcntl.h>
#include <limits.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <utility>

#include <fmt/format.h>

#include "cli/safe_text.hpp"
#include "kmeet/digest.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

std::pair<std::string, std::string> split_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return {".", path};
  return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

[[noreturn]] void refuse(const std::string& why) { throw ValidationError("--results", why); }

// Everything that would only fail at the end (rename over a directory, an empty name) fails now.
void check_results_target(const std::string& path, const std::string& base) {
  if (path.empty()) refuse("must name a file (got an empty path)");
  if (base.empty() || base == "." || base == "..") refuse(fmt::format("{} names a directory, not a file", printable(path)));
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    if (S_ISDIR(st.st_mode)) refuse(fmt::format("{} is a directory", printable(path)));
    if (!S_ISREG(st.st_mode) && !S_ISLNK(st.st_mode)) refuse(fmt::format("{} is not a regular file", printable(path)));
  }
}

// A directory only this user can write, made if missing (mode 0700).
std::string private_dir(const std::string& path) {
  if (::mkdir(path.c_str(), 0700) != 0 && errno != EEXIST) {
    throw Error(fmt::format("cannot create the lock directory {}: {}", printable(path), std::strerror(errno)));
  }
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_uid != ::getuid() || (st.st_mode & 022) != 0) {
    throw Error(fmt::format("the lock directory {} is not a directory owned by you and writable only by you",
                            printable(path)));
  }
  return path;
}

// The first usable of $XDG_RUNTIME_DIR/kmeet, ~/.cache/kmeet, /tmp/kmeet-UID (a read-only home
// falls through to the next).
std::string lock_dir(const Getenv& getenv) {
  std::vector<std::string> candidates;
  if (auto run = getenv("XDG_RUNTIME_DIR"); run && !run->empty()) candidates.push_back(*run + "/kmeet");
  if (auto home = getenv("HOME"); home && !home->empty()) {
    ::mkdir((*home + "/.cache").c_str(), 0700);  // may exist already
    candidates.push_back(*home + "/.cache/kmeet");
  }
  candidates.push_back(fmt::format("/tmp/kmeet-{}", ::getuid()));
  for (std::size_t i = 0;; ++i) {
    try {
      return private_dir(candidates[i]);
    } catch (const Error&) {
      if (i + 1 == candidates.size()) throw;
    }
  }
}

}  // namespace

std::string real_path_of(const std::string& path) {
  char buf[PATH_MAX];
  if (::realpath(path.c_str(), buf) != nullptr) return buf;
  auto [dir, base] = split_dir(path);
  if (::realpath(dir.c_str(), buf) != nullptr) return std::string(buf) + "/" + base;
  return path;
}

// ---- ResultsFile ------------------------------------------------------------------------------

ResultsFile::ResultsFile(std::string path) : path_(std::move(path)) {
  auto [dir, base] = split_dir(path_);
  check_results_target(path_, base);
  std::string tmpl = fmt::format("{}/.{}.XXXXXX", dir, base);
  fd_ = ::mkostemp(tmpl.data(), O_CLOEXEC);  // O_CREAT|O_EXCL, mode 0600: never an existing file or link
  if (fd_ < 0) {
    refuse(fmt::format("cannot create a file in {}: {}", printable(dir), std::strerror(errno)));
  }
  tmp_ = std::move(tmpl);
  if (::fchmod(fd_, 0600) != 0) {
    const std::string why = std::strerror(errno);
    close_and_remove();
    refuse(fmt::format("cannot create {}: {}", printable(tmp_), why));
  }
}

ResultsFile::~ResultsFile() { close_and_remove(); }

bool ResultsFile::write(std::string_view text) {
  while (!text.empty() && fd_ >= 0) {
    const auto n = ::write(fd_, text.data(), text.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write " + tmp_);
    text.remove_prefix(static_cast<std::size_t>(n));
  }
  return fd_ >= 0;
}

bool ResultsFile::commit() {
  if (fd_ < 0) return false;
  if (::fsync(fd_) != 0) return fail("cannot write " + tmp_);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return fail("cannot write " + tmp_);
  if (std::rename(tmp_.c_str(), path_.c_str()) != 0) return fail(fmt::format("cannot rename {} to {}", tmp_, path_));
  committed_ = true;
  return true;
}

bool ResultsFile::fail(const std::string& what) {
  error_ = fmt::format("{}: {}", printable(what), std::strerror(errno));
  return false;
}

void ResultsFile::close_and_remove() {
  if (fd_ >= 0) ::close(std::exchange(fd_, -1));
  if (!committed_ && !tmp_.empty()) ::unlink(tmp_.c_str());  // only ever the file mkstemp made
}

// ---- ImportLock -------------------------------------------------------------------------------

ImportLock::ImportLock(const Getenv& getenv, const std::string& csv, const std::string& results) {
  const std::string dir = lock_dir(getenv);
  try {
    if (csv != "-") take(dir, real_path_of(csv), csv);
    if (!results.empty()) take(dir, real_path_of(results), results);
  } catch (...) {
    for (int fd : fds_) ::close(fd);
    throw;
  }
}

ImportLock::~ImportLock() {
  for (int fd : fds_) ::close(fd);  // releases the flock; the lock file stays (harmless, reused)
}

void ImportLock::take(const std::string& dir, const std::string& real_path, const std::string& shown) {
  const std::string file = fmt::format("{}/import-{}.lock", dir, sha1_hex(real_path).substr(0, 20));
  const int fd = ::open(file.c_str(), O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
  if (fd < 0) throw Error(fmt::format("cannot open the lock file {}: {}", printable(file), std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    char buf[32] = {};
    const auto n = ::pread(fd, buf, sizeof buf - 1, 0);
    ::close(fd);
    const std::string pid = n > 0 ? std::string(buf, static_cast<std::size_t>(n)) : "?";
    throw Error(fmt::format("another kmeet import of {} is running (pid {}); wait for it to finish", printable(shown),
                            printable(pid)));
  }
  const std::string pid = std::to_string(::getpid());
  if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, pid.data(), pid.size(), 0) < 0) {
    // The lock holds all the same; only the pid in the message of a second import is missing.
  }
  fds_.push_back(fd);
}

}  // namespace kmeet::cli
