// referenceIds of sync's events, room system names, and the small value helpers of sync.hpp.
#include "sync/identity.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

#include <fmt/format.h>

#include "kmeet/sync.hpp"

namespace kmeet {
namespace detail::sync {
namespace {

constexpr std::string_view kPrefix = "kmeet-sync:";
constexpr std::size_t kScopeHex = 8;
constexpr std::size_t kKeyHex = 32;
constexpr std::size_t kCheckHex = 8;

std::string digest_hex(std::string_view data, const EVP_MD* md) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> out{};
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) throw Error("digest failed");
  std::string hex;
  for (unsigned int i = 0; i < len; ++i) hex += fmt::format("{:02x}", out[i]);
  return hex;
}

std::string scope_tag(std::string_view scope) {
  return sha256_hex(std::string("kmeet-sync scope\x1f") + std::string(scope)).substr(0, kScopeHex);
}

std::string check_of(std::string_view body) { return sha256_hex(body).substr(0, kCheckHex); }

bool lower_hex(std::string_view s, std::size_t n) {
  return s.size() == n && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

}  // namespace

std::string sha256_hex(std::string_view data) { return digest_hex(data, EVP_sha256()); }
std::string sha1_hex(std::string_view data) { return digest_hex(data, EVP_sha1()); }

std::string key_digest(std::string_view scope, std::string_view key) {
  std::string data(scope);
  data += '\x1f';  // unit separator: no boundary ambiguity between scope and key
  data += key;
  return sha256_hex(data).substr(0, kKeyHex);
}

std::string reference_of(std::string_view scope, std::string_view digest, int generation) {
  std::string body = fmt::format("{}{}:{}:{}", kPrefix, scope_tag(scope), digest, generation);
  return body + ":" + check_of(body);
}

std::optional<SyncRef> parse_reference(std::string_view ref, std::string_view scope) {
  if (ref.substr(0, kPrefix.size()) != kPrefix) return std::nullopt;
  const auto last = ref.rfind(':');
  if (last == std::string_view::npos || !lower_hex(ref.substr(last + 1), kCheckHex)) return std::nullopt;
  const std::string_view body = ref.substr(0, last);
  if (check_of(body) != ref.substr(last + 1)) return std::nullopt;
  std::string_view rest = body.substr(kPrefix.size());
  if (rest.size() < kScopeHex + 1 + kKeyHex + 2 || rest.substr(0, kScopeHex) != scope_tag(scope)) return std::nullopt;
  if (rest[kScopeHex] != ':' || rest[kScopeHex + 1 + kKeyHex] != ':') return std::nullopt;
  SyncRef out;
  out.key_digest = std::string(rest.substr(kScopeHex + 1, kKeyHex));
  if (!lower_hex(out.key_digest, kKeyHex)) return std::nullopt;
  const std::string_view gen = rest.substr(kScopeHex + 1 + kKeyHex + 1);
  const auto [end, ec] = std::from_chars(gen.data(), gen.data() + gen.size(), out.generation);
  if (ec != std::errc() || end != gen.data() + gen.size() || gen.front() == '0' || out.generation < 1 ||
      out.generation > kMaxGeneration) {
    return std::nullopt;
  }
  return out;
}

}  // namespace detail::sync

std::string sync_reference_id(std::string_view scope, std::string_view key, int generation) {
  if (generation < 1 || generation > detail::sync::kMaxGeneration) {
    throw ValidationError("generation", fmt::format("must be 1..{}", detail::sync::kMaxGeneration));
  }
  return detail::sync::reference_of(scope, detail::sync::key_digest(scope, key), generation);
}

bool is_sync_reference_id(std::string_view reference_id, std::string_view scope) {
  return detail::sync::parse_reference(reference_id, scope).has_value();
}

std::string default_room_system_name(std::string_view room_name) {
  // `kmeet import` derives its rooms' system names with this function too.
  std::string slug;
  for (char ch : room_name) {
    auto c = static_cast<unsigned char>(ch);
    if (std::isalnum(c) != 0 && c < 0x80) {
      slug += static_cast<char>(std::tolower(c));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
    if (slug.size() >= 40) break;
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  if (slug.empty()) slug = "room";
  return "kmeet-" + slug + "-" + detail::sync::sha1_hex(room_name).substr(0, 8);
}

namespace {
std::string first_problem(const std::vector<std::string>& problems) {
  if (problems.empty()) return "no problem given";
  if (problems.size() == 1) return problems.front();
  return fmt::format("{} (and {} more)", problems.front(), problems.size() - 1);
}
}  // namespace

TimetableError::TimetableError(std::vector<std::string> problems)
    : ValidationError("timetable", first_problem(problems)), problems_(std::move(problems)) {}

std::string_view to_string(SyncField field) noexcept {
  switch (field) {
    case SyncField::summary: return "summary";
    case SyncField::description: return "description";
    case SyncField::start: return "startDate";
    case SyncField::end: return "endDate";
    case SyncField::settings: return "tags";
    case SyncField::room: return "room";
  }
  return {};
}

std::size_t SyncResult::not_done() const {
  std::size_t n = 0;
  for (const auto* list : {&create, &update, &cancel, &remove}) {
    n += static_cast<std::size_t>(std::count_if(list->begin(), list->end(),
                                                [](const SyncItemResult& r) { return r.status != SyncStatus::done; }));
  }
  return n;
}

}  // namespace kmeet
