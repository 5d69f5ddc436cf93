#include "core/redact.hpp"

#include <cctype>

namespace kmeet::detail {
namespace {

bool is_token_char(char c) {
  const auto u = static_cast<unsigned char>(c);
  return std::isalnum(u) != 0 || c == '+' || c == '/' || c == '-' || c == '_' || c == '=' || c == '%';
}

constexpr std::size_t kMinTokenRun = 40;

}  // namespace

std::string redact_ks(std::string_view ks) {
  std::string out(ks.substr(0, 6));
  out += "…(";
  out += std::to_string(ks.size());
  out += " chars)";
  return out;
}

std::string redact_tokens(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (!is_token_char(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t j = i;
    while (j < text.size() && is_token_char(text[j])) ++j;
    // `name=value` inside one run: keep `name=` and judge the value on its own.
    const auto eq = text.substr(i, j - i).find('=');
    if (eq != std::string_view::npos && i + eq + 1 < j && text[i + eq + 1] != '=') {
      out += text.substr(i, eq + 1);
      i += eq + 1;
    }
    const auto run = text.substr(i, j - i);
    const bool after_ks_param = i >= 3 && text.substr(i - 3, 3) == "ks=";
    if (run.size() >= kMinTokenRun || (after_ks_param && run.size() > 8)) {
      out += redact_ks(run);
    } else {
      out += run;
    }
    i = j;
  }
  return out;
}

std::string safe_snippet(std::string_view text, std::size_t max) {
  std::string out = redact_tokens(text.substr(0, max));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) c = ' ';
  }
  if (text.size() > max) out += "…";
  return out;
}

}  // namespace kmeet::detail
