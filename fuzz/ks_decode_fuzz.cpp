// Fuzzes KS decoding: inspect with and without the secret, verify, for arbitrary tokens.
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kmeet;
  const std::string ks(reinterpret_cast<const char*>(data), size);
  static const std::vector<std::string> secrets = {"0123456789abcdef0123456789abcdef", "other"};
  try {
    (void)Ks::inspect(ks);
  } catch (const Error&) {
  }
  try {
    (void)Ks::inspect(ks, std::string_view(secrets[0]));
  } catch (const Error&) {
  }
  KsInfo info;
  (void)Ks::verify(ks, PartnerId(1234567), std::span<const std::string>(secrets),
                   Timestamp(std::chrono::seconds(1'600'000'000)), &info);
  return 0;
}
