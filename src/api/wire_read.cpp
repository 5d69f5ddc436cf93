#include "api/wire_read.hpp"

#include <fmt/format.h>

#include <charconv>
#include <cmath>

#include "core/redact.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::detail::wire_read {
namespace {

enum class Empty { refused, absent };

std::optional<std::int64_t> read_integer(const Json& object, const char* key, std::string_view what, Empty empty) {
  const Json* v = field(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::trunc(d) == d && std::abs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  if (v->is_string()) {  // PHP clients sometimes stringify; accept a plain integer string
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty() && empty == Empty::absent) return std::nullopt;
    std::int64_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (!s.empty() && ec == std::errc{} && end == s.data() + s.size()) return n;
  }
  bad(what, key, *v);
}

std::optional<Timestamp> seconds(std::optional<std::int64_t> n) {
  if (!n) return std::nullopt;
  return Timestamp(std::chrono::seconds(*n));
}

}  // namespace

const Json* field(const Json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

void bad(std::string_view what, std::string_view key, const Json& value) {
  throw ProtocolError(fmt::format("{}: field '{}' has an unexpected value {}", what, key, safe_snippet(value.dump(), 80)));
}

std::optional<std::int64_t> integer(const Json& object, const char* key, std::string_view what) {
  return read_integer(object, key, what, Empty::refused);
}

std::optional<std::int64_t> integer_or_empty(const Json& object, const char* key, std::string_view what) {
  return read_integer(object, key, what, Empty::absent);
}

std::optional<double> number(const Json& object, const char* key, std::string_view what) {
  const Json* v = field(object, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number()) return v->get<double>();
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    double d = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
    if (ec == std::errc{} && end == s.data() + s.size() && std::isfinite(d)) return d;
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
  return seconds(integer(object, key, what));
}

std::optional<Timestamp> time_or_empty(const Json& object, const char* key, std::string_view what) {
  return seconds(integer_or_empty(object, key, what));
}

}  // namespace kmeet::detail::wire_read
