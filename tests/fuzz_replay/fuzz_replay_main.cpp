// CI stand-in for libFuzzer (which needs clang): runs a fuzz target (fuzz/<name>_fuzz.cpp, linked
// in) over its committed seed corpus and then over seeded random mutations of it (bit flips, byte
// edits, inserts, deletions, splices, truncation) for a time budget. A crash, a sanitizer report,
// an uncaught exception or an abort fails the test. The long runs (libFuzzer, ASan+UBSan, 60 s or
// 10 M executions per target) are scripts/fuzz.sh; see docs/reliability.md.
//
// Usage: kmeet_fuzz_replay_<name> CORPUS_DIR [SECONDS (default 10)] [SEED (default 1)]

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <string>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

void run(const std::string& input) {
  // A copy on the heap of exactly the input's size, so out-of-bounds reads are caught by ASan.
  std::vector<std::uint8_t> bytes(input.begin(), input.end());
  (void)LLVMFuzzerTestOneInput(bytes.data(), bytes.size());
}

std::string mutate(std::string s, const std::vector<std::string>& corpus, std::mt19937_64& rng) {
  auto pick = [&](std::size_t n) { return n == 0 ? std::size_t{0} : static_cast<std::size_t>(rng() % n); };
  static const char* kTokens[] = {"{", "}", "[", "]", "\"", ",", ":", "null", "true", "-1", "1e308", "\"\"",
                                  "\\u0000", "\r\n", "\n", "\"\"\"", "9223372036854775808", "0.5", "{}"};
  const int edits = 1 + static_cast<int>(rng() % 8);
  for (int e = 0; e < edits; ++e) {
    switch (rng() % 8) {
      case 0:
        if (!s.empty()) s[pick(s.size())] ^= static_cast<char>(1U << (rng() % 8));
        break;
      case 1:
        if (!s.empty()) s[pick(s.size())] = static_cast<char>(rng() % 256);
        break;
      case 2:
        s.insert(pick(s.size() + 1), 1, static_cast<char>(rng() % 256));
        break;
      case 3:
        if (!s.empty()) {
          const std::size_t at = pick(s.size());
          s.erase(at, 1 + pick(std::min<std::size_t>(16, s.size() - at)));
        }
        break;
      case 4:
        s.insert(pick(s.size() + 1), kTokens[pick(std::size(kTokens))]);
        break;
      case 5: {  // splice with another corpus entry
        const std::string& other = corpus[pick(corpus.size())];
        if (!other.empty()) s = s.substr(0, pick(s.size() + 1)) + other.substr(pick(other.size()));
        break;
      }
      case 6:
        s.resize(pick(s.size() + 1));
        break;
      default: {  // duplicate a slice (deep nesting, long runs)
        if (!s.empty()) {
          const std::size_t at = pick(s.size());
          const std::string slice = s.substr(at, 1 + pick(std::min<std::size_t>(32, s.size() - at)));
          const std::size_t times = 1 + pick(64);
          std::string rep;
          for (std::size_t t = 0; t < times; ++t) rep += slice;
          s.insert(at, rep);
        }
      }
    }
  }
  if (s.size() > 65536) s.resize(65536);
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::cerr << "usage: " << argv[0] << " CORPUS_DIR [SECONDS] [SEED]\n";
    return 2;
  }
  const double seconds = argc > 2 ? std::atof(argv[2]) : 10.0;
  std::mt19937_64 rng(argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 1);
  std::vector<std::string> corpus;
  for (const auto& entry : std::filesystem::directory_iterator(argv[1])) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    corpus.emplace_back(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  }
  if (corpus.empty()) {
    std::cerr << "no seed inputs in " << argv[1] << '\n';
    return 2;
  }
  corpus.emplace_back();  // the empty input
  for (const auto& c : corpus) run(c);
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  std::uint64_t runs = corpus.size();
  while (std::chrono::steady_clock::now() < end) {
    for (int i = 0; i < 64; ++i, ++runs) run(mutate(corpus[static_cast<std::size_t>(rng() % corpus.size())], corpus, rng));
  }
  std::cout << "fuzz replay: " << corpus.size() << " seeds, " << runs << " inputs, 0 failures\n";
  return 0;
}
