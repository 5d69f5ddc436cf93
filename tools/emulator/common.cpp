#include "common.hpp"

#include <cctype>
#include <cmath>
#include <cstdio>

namespace kmeet::emulator {

Json ApiError::to_json() const {
  Json j = Json::object();
  j["code"] = code;
  j["message"] = what();
  j["objectType"] = "KalturaAPIException";
  if (args.empty()) {
    j["args"] = Json::array();  // PHP's empty array serializes as []
  } else {
    Json a = Json::object();
    for (const auto& [k, v] : args) {
      a[k] = v;
    }
    j["args"] = std::move(a);
  }
  return j;
}

ApiError api_error(std::string code, std::string_view tmpl,
                   std::vector<std::pair<std::string, std::string>> args) {
  std::string msg(tmpl);
  for (const auto& [k, v] : args) {
    const std::string ph = "@" + k + "@";
    for (std::size_t pos = msg.find(ph); pos != std::string::npos; pos = msg.find(ph, pos + v.size())) {
      msg.replace(pos, ph.size(), v);
    }
  }
  return ApiError(std::move(code), std::move(msg), std::move(args));
}

std::int64_t php_intval(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size() && std::isspace(static_cast<unsigned char>(s[i])) != 0) {
    ++i;
  }
  bool neg = false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
    neg = s[i] == '-';
    ++i;
  }
  std::int64_t v = 0;
  while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) != 0) {
    if (v > (INT64_MAX - 9) / 10) {
      return neg ? INT64_MIN : INT64_MAX;
    }
    v = v * 10 + (s[i] - '0');
    ++i;
  }
  return neg ? -v : v;
}

std::int64_t json_intval(const Json& v) {
  if (v.is_number_integer()) {
    return v.get<std::int64_t>();
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (!std::isfinite(d) || std::fabs(d) > 9.2e18) {
      return 0;
    }
    return static_cast<std::int64_t>(d);
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? 1 : 0;
  }
  if (v.is_string()) {
    return php_intval(v.get_ref<const std::string&>());
  }
  return 0;
}

std::string json_strval(const Json& v) {
  if (v.is_string()) {
    return v.get<std::string>();
  }
  if (v.is_boolean()) {
    return v.get<bool>() ? "1" : "";
  }
  if (v.is_number_integer()) {
    return std::to_string(v.get<std::int64_t>());
  }
  if (v.is_number_float()) {
    const double d = v.get<double>();
    if (d == std::floor(d) && std::fabs(d) < 1e15) {
      return std::to_string(static_cast<std::int64_t>(d));
    }
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.14G", d);
    return buf;
  }
  return {};
}

bool is_integer_string(std::string_view s) {
  std::size_t i = 0;
  if (i < s.size() && (s[i] == '-' || s[i] == '+')) {
    ++i;
  }
  if (i == s.size()) {
    return false;
  }
  for (; i < s.size(); ++i) {
    if (std::isdigit(static_cast<unsigned char>(s[i])) == 0) {
      return false;
    }
  }
  return true;
}

std::string to_lower(std::string_view s) {
  std::string r(s);
  for (auto& c : r) {
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return r;
}

std::vector<std::string> split(std::string_view s, char sep) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (true) {
    const std::size_t pos = s.find(sep, start);
    if (pos == std::string_view::npos) {
      out.emplace_back(s.substr(start));
      return out;
    }
    out.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

std::string trim(std::string_view s) {
  std::size_t b = 0;
  std::size_t e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])) != 0) {
    ++b;
  }
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])) != 0) {
    --e;
  }
  return std::string(s.substr(b, e - b));
}

bool icontains(std::string_view hay, std::string_view needle) {
  return to_lower(hay).find(to_lower(needle)) != std::string::npos;
}

std::string url_decode(std::string_view s, bool plus_space) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '+' && plus_space) {
      out.push_back(' ');
    } else if (c == '%' && i + 2 < s.size() &&
               std::isxdigit(static_cast<unsigned char>(s[i + 1])) != 0 &&
               std::isxdigit(static_cast<unsigned char>(s[i + 2])) != 0) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace kmeet::emulator
