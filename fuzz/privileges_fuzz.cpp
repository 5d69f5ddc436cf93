// Fuzzes the privileges builder: whatever a caller passes, an accepted value must survive the
// server's parse (split on ',', first ':') and the KS round trip unchanged.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"

namespace {

std::vector<std::pair<std::string, std::string>> server_parse(std::string_view s) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t start = 0;
  while (start <= s.size()) {
    auto end = s.find(',', start);
    if (end == std::string_view::npos) end = s.size();
    auto item = s.substr(start, end - start);
    if (!item.empty()) {
      auto colon = item.find(':');
      std::string k(item.substr(0, colon));
      std::string v = colon == std::string_view::npos ? "" : std::string(item.substr(colon + 1));
      bool replaced = false;
      for (auto& [ek, ev] : out) {
        if (ek == k) {
          ev = v;
          replaced = true;
        }
      }
      if (!replaced) out.emplace_back(k, v);
    }
    start = end + 1;
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace kmeet;
  const std::string input(reinterpret_cast<const char*>(data), size);
  // Split the input into up to four fields on NUL bytes.
  std::vector<std::string> parts(4);
  std::size_t idx = 0;
  for (char c : input) {
    if (c == '\0' && idx < 3) {
      ++idx;
    } else {
      parts[idx] += c;
    }
  }
  Privileges p;
  try {
    p.event_id(EventId(3371011)).role(Role::attendee);
    p.first_name(parts[0]);
  } catch (const ValidationError&) {
  }
  try {
    p.last_name(parts[1]);
  } catch (const ValidationError&) {
  }
  try {
    p.set(parts[2], parts[3]);
  } catch (const ValidationError&) {
  }
  const auto parsed = server_parse(p.str());
  if (parsed != p.entries()) std::abort();  // the server would read something else
  static const KsSigner signer("0123456789abcdef0123456789abcdef", [](std::span<std::uint8_t> b) {
    for (auto& x : b) x = 7;
  });
  const KsParams params{.partner_id = PartnerId(1234567), .type = SessionType::user, .user_id = "u",
                        .privileges = p.str(), .expires_at = Timestamp(std::chrono::seconds(1'900'000'000))};
  const KsInfo info = Ks::inspect(signer.mint_v2(params), std::string_view("0123456789abcdef0123456789abcdef"));
  if (!info.signature_valid || info.privilege_list != p.entries()) std::abort();
  return 0;
}
