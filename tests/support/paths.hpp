#pragma once
// Paths the tests need, fixed at configure time.

#include <string>

namespace kmeet::test {

/// `tests/data` in the source tree (test vectors; see tests/data/README.md).
inline std::string testdata_dir() { return KMEET_TESTDATA_DIR; }
inline std::string source_dir() { return KMEET_SOURCE_DIR; }
inline std::string binary_dir() { return KMEET_BINARY_DIR; }

}  // namespace kmeet::test
