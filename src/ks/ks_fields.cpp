#include "ks/ks_fields.hpp"

#include <charconv>
#include <limits>

#include "core/encoding.hpp"

namespace kmeet::detail {

std::string_view php_trim(std::string_view s) {
  constexpr std::string_view kTrim(" \t\n\r\0\x0B", 6);
  const auto first = s.find_first_not_of(kTrim);
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(kTrim);
  return s.substr(first, last - first + 1);
}

std::int64_t php_intval(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' ||
                          s[i] == '\v' || s[i] == '\f')) {
    ++i;
  }
  bool negative = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) negative = s[i++] == '-';
  std::int64_t value = 0;
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) {
    const int digit = s[i] - '0';
    if (value > (kMax - digit) / 10) return negative ? std::numeric_limits<std::int64_t>::min() : kMax;
    value = value * 10 + digit;
  }
  return negative ? -value : value;
}

namespace {

/// Calls `put(key, value)` for every item of a privileges string, in order.
template <class Put>
void for_each_privilege(std::string_view privileges, Put put) {
  std::size_t pos = 0;
  while (pos <= privileges.size()) {
    auto comma = privileges.find(',', pos);
    if (comma == std::string_view::npos) comma = privileges.size();
    std::string_view item = php_trim(privileges.substr(pos, comma - pos));
    pos = comma + 1;
    if (item.empty()) continue;
    if (item == "*") item = "all:*";
    const auto colon = item.find(':');
    if (colon == std::string_view::npos) {
      put(item, std::string_view{});
    } else {
      put(item.substr(0, colon), item.substr(colon + 1));
    }
  }
}

}  // namespace

void split_privileges(std::string_view privileges,
                      std::vector<std::pair<std::string_view, std::string_view>>& out) {
  out.clear();
  for_each_privilege(privileges, [&](std::string_view k, std::string_view v) { ordered_set(out, k, v); });
}

void list_privileges(std::string_view privileges,
                     std::vector<std::pair<std::string_view, std::string_view>>& out) {
  out.clear();
  for_each_privilege(privileges, [&](std::string_view k, std::string_view v) { out.emplace_back(k, v); });
}

void append_ks_v2_fields(std::string& out, std::string_view privileges, std::int64_t expiry,
                         int type, std::string_view user_id) {
  thread_local std::vector<std::pair<std::string_view, std::string_view>> fields;
  split_privileges(privileges, fields);

  char expiry_buf[24];
  const auto e = std::to_chars(std::begin(expiry_buf), std::end(expiry_buf), expiry);
  char type_buf[16];
  const auto t = std::to_chars(std::begin(type_buf), std::end(type_buf), type);
  ordered_set(fields, std::string_view("_e"),
              std::string_view(expiry_buf, static_cast<std::size_t>(e.ptr - expiry_buf)));
  ordered_set(fields, std::string_view("_t"),
              std::string_view(type_buf, static_cast<std::size_t>(t.ptr - type_buf)));
  ordered_set(fields, std::string_view("_u"), user_id);

  bool first = true;
  for (const auto& [key, value] : fields) {
    if (!first) out.push_back('&');
    first = false;
    php_urlencode_append(out, key);
    out.push_back('=');
    php_urlencode_append(out, value);
  }
}

std::vector<std::pair<std::string, std::string>> php_parse_str(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  std::size_t pos = 0;
  while (pos <= query.size()) {
    auto amp = query.find('&', pos);
    if (amp == std::string_view::npos) amp = query.size();
    const std::string_view pair = query.substr(pos, amp - pos);
    pos = amp + 1;
    if (pair.empty()) continue;
    const auto eq = pair.find('=');
    std::string key = php_urldecode(pair.substr(0, eq));
    std::string value = eq == std::string_view::npos ? std::string() : php_urldecode(pair.substr(eq + 1));

    // php_register_variable_ex: the name is a C string, leading spaces are dropped, `.` and
    // space become `_` until the first `[`.
    key = key.substr(0, key.find('\0'));
    key.erase(0, key.find_first_not_of(' '));
    if (key.empty()) continue;
    for (std::size_t i = 0; i < key.size(); ++i) {
      if (key[i] == ' ' || key[i] == '.') {
        key[i] = '_';
      } else if (key[i] == '[') {
        if (key.find(']', i + 1) != std::string::npos) {
          key.resize(i);  // array syntax: PHP nests the value under the base name
        } else {
          key[i] = '_';  // an unmatched `[` becomes `_` and ends the mangling
        }
        break;
      }
    }
    if (key.empty()) continue;
    ordered_set(out, std::move(key), std::move(value));
  }
  return out;
}

std::string rebuild_privileges(const std::vector<std::pair<std::string, std::string>>& privileges) {
  std::string out;
  for (const auto& [key, value] : privileges) {
    if (!out.empty()) out.push_back(',');
    if (key == "all" && value == "*") {
      out.push_back('*');
    } else {
      out += key;
      if (!value.empty()) {
        out.push_back(':');
        out += value;
      }
    }
  }
  return out;
}

}  // namespace kmeet::detail
