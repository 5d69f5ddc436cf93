#include "api/wire_read.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail::wire_read {
namespace {

[[noreturn]] void bad(std::string_view what, std::string_view key, const Json& v) {
  throw ProtocolError(fmt::format("{}: field '{}' has an unexpected value {}", what, key, safe_snippet(v.dump(), 80)));
}

}  // namespace

const Json* field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> integer(const Json& object, const char* key, std::string_view what) {
  const Json* v = field(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::trunc(d) == d && std::abs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (!s.empty() && ec == std::errc{} && end == s.data() + s.size()) return n;
  }
  bad(what, key, *v);
}

std::optional<std::string> text(const Json& object, const char* key, std::string_view what) {
  const Json* v = field(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  bad(what, key, *v);
}

std::optional<Timestamp> time(const Json& object, const char* key, std::string_view what) {
  const auto n = integer(object, key, what);
  if (!n) return std::nullopt;
  return Timestamp(std::chrono::seconds(*n));
}

}  // namespace kmeet::detail::wire_read
