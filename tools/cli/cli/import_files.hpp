#pragma once
// The files `kmeet import` writes or holds: the --results file (created without following links,
// never truncating what kmeet did not create) and the same-machine lock against a second import
// of the same CSV or results file.

#include <string>
#include <string_view>
#include <vector>

#include "cli/config_file.hpp"

namespace kmeet::cli {

/// The --results file. The path is checked when constructed, before the first request (a usage
/// error then: empty, a directory, a missing or unwritable directory). The rows go to a fresh
/// temporary file `.NAME.XXXXXX` in the same directory (mkstemp: O_CREAT|O_EXCL, mode 0600, so
/// no planted file or symlink is followed, truncated or reused), renamed over NAME by commit();
/// removed again when not committed.
class ResultsFile {
 public:
  explicit ResultsFile(std::string path);
  ~ResultsFile();
  ResultsFile(const ResultsFile&) = delete;
  ResultsFile& operator=(const ResultsFile&) = delete;

  /// Appends `text`; false (with `error()`) when writing fails.
  bool write(std::string_view text);
  /// Flushes, closes and renames the temporary file over the target.
  bool commit();
  [[nodiscard]] const std::string& error() const { return error_; }
  [[nodiscard]] const std::string& path() const { return path_; }
  [[nodiscard]] const std::string& temporary_path() const { return tmp_; }

 private:
  bool fail(const std::string& what);
  void close_and_remove();

  std::string path_;
  std::string tmp_;
  int fd_ = -1;
  bool committed_ = false;
  std::string error_;
};

/// Exclusive locks (flock) on lock files named after the real paths of the CSV and of the
/// results file, in a directory only this user can write ($XDG_RUNTIME_DIR/kmeet, else
/// ~/.cache/kmeet, else /tmp/kmeet-UID, mode 0700). A second `kmeet import` of the same file on
/// this machine is refused: `another kmeet import of FILE is running (pid N)` (exit 1). The
/// locks go when the process ends, however it ends (kill -9 included).
class ImportLock {
 public:
  /// `csv` is the CSV path ("-" for stdin: not locked), `results` the --results path or empty.
  ImportLock(const Getenv& getenv, const std::string& csv, const std::string& results);
  ~ImportLock();
  ImportLock(const ImportLock&) = delete;
  ImportLock& operator=(const ImportLock&) = delete;

 private:
  void take(const std::string& dir, const std::string& real_path, const std::string& shown);
  std::vector<int> fds_;
};

/// The canonical path of a file that may not exist yet: realpath of its directory + its name.
std::string real_path_of(const std::string& path);

}  // namespace kmeet::cli
