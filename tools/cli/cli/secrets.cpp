#include "cli/secrets.hpp"

namespace kmeet::cli {

Secrets Secrets::from(const std::vector<std::string>& args, const Getenv& getenv) {
  Secrets s;
  for (const char* var : {"KALTURA_ADMIN_SECRET", "KALTURA_USER_SECRET"}) {
    if (auto v = getenv(var)) s.add(*v);
  }
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--admin-secret" || args[i] == "--user-secret") s.add(args[i + 1]);
  }
  for (const auto& a : args) {
    for (const std::string p : {"--admin-secret=", "--user-secret="}) {
      if (a.rfind(p, 0) == 0) s.add(a.substr(p.size()));
    }
  }
  for (std::size_t i = 0; i + 1 < args.size(); ++i) {
    if (args[i] == "--ks") s.add(args[i + 1]);
  }
  for (const auto& a : args) {
    if (a.rfind("--ks=", 0) == 0) s.add(a.substr(5));
  }
  if (auto v = getenv("KALTURA_KS")) s.add(*v);
  return s;
}

std::string Secrets::scrub(std::string text) const {
  for (const auto& s : secrets_) {
    if (s.size() < 4) continue;
    for (auto pos = text.find(s); pos != std::string::npos; pos = text.find(s, pos)) {
      text.replace(pos, s.size(), "[secret]");
    }
  }
  return text;
}

}  // namespace kmeet::cli
