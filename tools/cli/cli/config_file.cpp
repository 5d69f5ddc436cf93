#include "cli/config_file.hpp"

#include <cctype>
#include <utility>
#include <vector>

#include <fmt/format.h>

#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

[[noreturn]] void fail(std::string_view name, int line, std::string_view reason) {
  throw ValidationError("config", fmt::format("{}:{}: {}", name, line, reason));
}

bool bare_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '-';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// After a value: only blanks and an optional comment may follow.
void expect_end(std::string_view rest, std::string_view name, int line) {
  rest = trim(rest);
  if (!rest.empty() && rest.front() != '#') fail(name, line, "unexpected text after the value");
}

// `[section]` (dotted names allowed) and nothing but a comment after it.
std::string section_name(std::string_view line, std::string_view name, int line_no) {
  auto close = line.find(']');
  if (close == std::string_view::npos) fail(name, line_no, "section header without ']'");
  auto sec = trim(line.substr(1, close - 1));
  if (sec.empty()) fail(name, line_no, "empty section name");
  for (char c : sec) {
    if (!bare_key_char(c) && c != '.') fail(name, line_no, "invalid section name");
  }
  expect_end(line.substr(close + 1), name, line_no);
  return std::string(sec);
}

// `"text"` with the escapes \" \\ \n \t \r.
std::string basic_string(std::string_view rest, std::string_view name, int line_no) {
  std::string value;
  std::size_t i = 1;
  bool closed = false;
  for (; i < rest.size(); ++i) {
    char c = rest[i];
    if (c == '"') {
      closed = true;
      ++i;
      break;
    }
    if (c == '\\') {
      if (++i >= rest.size()) break;
      switch (rest[i]) {
        case '"': value += '"'; break;
        case '\\': value += '\\'; break;
        case 'n': value += '\n'; break;
        case 't': value += '\t'; break;
        case 'r': value += '\r'; break;
        default: fail(name, line_no, fmt::format("unsupported escape '\\{}'", rest[i]));
      }
      continue;
    }
    value += c;
  }
  if (!closed) fail(name, line_no, "unterminated string");
  expect_end(rest.substr(i), name, line_no);
  return value;
}

// `'text'`, taken as it is.
std::string literal_string(std::string_view rest, std::string_view name, int line_no) {
  auto close = rest.find('\'', 1);
  if (close == std::string_view::npos) fail(name, line_no, "unterminated string");
  expect_end(rest.substr(close + 1), name, line_no);
  return std::string(rest.substr(1, close - 1));
}

// `true`, `false` or a whole number (`_` separators dropped), up to an optional comment.
std::string bare_value(std::string_view rest, std::string_view key, std::string_view name, int line_no) {
  auto bare = trim(rest.substr(0, rest.find('#')));
  bool ok = bare == "true" || bare == "false";
  if (!ok) {
    std::size_t i = (!bare.empty() && (bare.front() == '-' || bare.front() == '+')) ? 1 : 0;
    ok = i < bare.size();
    for (; i < bare.size(); ++i) {
      if (std::isdigit(static_cast<unsigned char>(bare[i])) == 0 && bare[i] != '_') ok = false;
    }
  }
  if (!ok) fail(name, line_no, fmt::format("value of '{}' must be a quoted string, a number or a boolean", key));
  std::string value;
  for (char c : bare) {
    if (c != '_') value += c;
  }
  return value;
}

// One `key = value` line: the key and the value as text.
std::pair<std::string, std::string> key_value(std::string_view line, std::string_view name, int line_no) {
  auto eq = line.find('=');
  if (eq == std::string_view::npos) fail(name, line_no, "expected key = value");
  auto key = trim(line.substr(0, eq));
  if (key.empty()) fail(name, line_no, "missing key before '='");
  for (char c : key) {
    if (!bare_key_char(c)) fail(name, line_no, fmt::format("invalid character in key '{}'", key));
  }
  auto rest = trim(line.substr(eq + 1));
  if (rest.empty()) fail(name, line_no, fmt::format("missing value for '{}'", key));
  if (rest.front() == '"') return {std::string(key), basic_string(rest, name, line_no)};
  if (rest.front() == '\'') return {std::string(key), literal_string(rest, name, line_no)};
  return {std::string(key), bare_value(rest, key, name, line_no)};
}

}  // namespace

std::map<std::string, std::string> parse_config_text(std::string_view text, std::string_view name) {
  std::map<std::string, std::string> out;
  std::string section;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  int line_no = 0;
  while (!text.empty() || line_no == 0) {
    ++line_no;
    auto nl = text.find('\n');
    std::string_view line = trim(text.substr(0, nl));
    text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
    if (line.empty() || line.front() == '#') {
      if (text.empty()) break;
      continue;
    }
    if (line.front() == '[') {
      section = section_name(line, name, line_no);
    } else {
      auto [key, value] = key_value(line, name, line_no);
      std::string full = section.empty() ? key : section + "." + key;
      if (out.count(full) != 0) fail(name, line_no, fmt::format("'{}' is set twice", full));
      out[full] = std::move(value);
    }
    if (text.empty()) break;
  }
  return out;
}

std::string default_config_path(const Getenv& getenv) {
  if (auto p = getenv("KMEET_CONFIG"); p && !p->empty()) return *p;
  if (auto p = getenv("XDG_CONFIG_HOME"); p && !p->empty()) return *p + "/kmeet/config.toml";
  if (auto p = getenv("HOME"); p && !p->empty()) return *p + "/.config/kmeet/config.toml";
  return {};
}

std::string setting_label(const Settings& settings, const std::string& key, const std::string& flag) {
  auto it = settings.source.find(key);
  if (it == settings.source.end() || it->second == "flag" || it->second == "default") return flag;
  if (it->second.rfind("env ", 0) == 0) return it->second.substr(4);
  return fmt::format("{}: {}", it->second, key);
}

Settings resolve_settings(const FlagValues& flags, const Getenv& getenv,
                          const std::function<std::optional<std::string>(const std::string&)>& read_file) {
  Settings s;
  std::map<std::string, std::string> file;
  std::string path;
  bool explicit_path = false;
  if (flags.config_file) {
    path = *flags.config_file;
    explicit_path = true;
  } else if (auto p = getenv("KMEET_CONFIG"); p && !p->empty()) {
    path = *p;
    explicit_path = true;
  } else {
    path = default_config_path(getenv);
  }
  if (!path.empty()) {
    auto text = read_file(path);
    if (!text && explicit_path) throw ValidationError("config", fmt::format("cannot read config file {}", path));
    if (text) file = parse_config_text(*text, path);
    if (text) s.config_path = path;
  }
  s.config_has_secret =
      file.count("admin_secret") + file.count("user_secret") + file.count("ks") + file.count("app_token") > 0;

  struct Entry {
    const char* key;
    const std::optional<std::string>* flag;
    const char* env;
    std::string* target;
  };
  const Entry entries[] = {
      {"service_url", &flags.service_url, "KALTURA_SERVICE_URL", &s.service_url},
      {"partner_id", &flags.partner_id, "KALTURA_PARTNER_ID", &s.partner_id},
      {"admin_secret", &flags.admin_secret, "KALTURA_ADMIN_SECRET", &s.admin_secret},
      {"user_secret", &flags.user_secret, "KALTURA_USER_SECRET", &s.user_secret},
      {"ks", &flags.ks, "KALTURA_KS", &s.ks},
      {"app_token_id", &flags.app_token_id, "KALTURA_APP_TOKEN_ID", &s.app_token_id},
      {"app_token", &flags.app_token, "KALTURA_APP_TOKEN", &s.app_token},
      {"app_token_hash", &flags.app_token_hash, "KALTURA_APP_TOKEN_HASH", &s.app_token_hash},
      {"kaf_url", &flags.kaf_url, "KALTURA_KAF_URL", &s.kaf_url},
      {"admin_user_id", &flags.admin_user_id, "KALTURA_ADMIN_USER_ID", &s.admin_user_id},
      {"output", &flags.output, "KMEET_OUTPUT", &s.output},
      {"timeout", &flags.timeout, "KMEET_TIMEOUT", &s.timeout},
      {"ca_file", &flags.ca_file, "KMEET_CA_FILE", &s.ca_file},
      {"proxy", &flags.proxy, "KMEET_PROXY", &s.proxy},
      {"rate", &flags.rate, "KMEET_RATE", &s.rate},
  };
  for (const auto& [key, value] : file) {
    bool known = key == "insecure";
    for (const auto& e : entries) known = known || key == e.key;
    if (!known) throw ValidationError("config", fmt::format("{}: unknown key '{}'", path, key));
  }
  for (const auto& e : entries) {
    if (e.flag->has_value()) {
      *e.target = **e.flag;
      s.source[e.key] = "flag";
    } else if (auto v = getenv(e.env); v && !v->empty()) {
      *e.target = *v;
      s.source[e.key] = std::string("env ") + e.env;
    } else if (auto it = file.find(e.key); it != file.end()) {
      *e.target = it->second;
      s.source[e.key] = path;
    } else {
      s.source[e.key] = "default";
    }
  }
  s.verbose = flags.verbose;
  if (flags.insecure) {
    s.insecure = true;
  } else if (auto it = file.find("insecure"); it != file.end()) {
    if (it->second != "true" && it->second != "false") {
      throw ValidationError("config", fmt::format("{}: insecure must be true or false", path));
    }
    s.insecure = it->second == "true";
  }
  return s;
}

}  // namespace kmeet::cli
