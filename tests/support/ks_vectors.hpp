#pragma once
// Loads tests/data/ks_vectors.json (independent KS test vectors, docs/protocol.md F.4) for the tests.

#include <nlohmann/json.hpp>

#include <cstdint>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/paths.hpp"

namespace kmeet::test {

inline const nlohmann::ordered_json& ks_vectors() {
  static const nlohmann::ordered_json doc = [] {
    const std::string path = testdata_dir() + "/ks_vectors.json";
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    return nlohmann::ordered_json::parse(in);
  }();
  return doc;
}

inline std::vector<std::uint8_t> from_hex(const std::string& hex) {
  std::vector<std::uint8_t> out;
  for (std::size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<std::uint8_t>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  }
  return out;
}

inline std::string to_hex(std::span<const std::uint8_t> bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const auto b : bytes) {
    out.push_back(kHex[b >> 4]);
    out.push_back(kHex[b & 0x0F]);
  }
  return out;
}

inline std::string to_hex(const std::string& bytes) {
  return to_hex(std::span<const std::uint8_t>(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size()));
}

}  // namespace kmeet::test
