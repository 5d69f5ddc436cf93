#include "cli/context.hpp"

#include <sys/stat.h>

#include <istream>
#include <map>
#include <ostream>

#include <fmt/format.h>

#include "cli/observe.hpp"
#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"

#ifndef KMEET_VERSION_STRING
#define KMEET_VERSION_STRING "0"
#endif

namespace kmeet::cli {

Config Ctx::config() const {
  const Settings& s = settings;
  Config c;
  c.service_url = s.service_url;
  if (s.partner_id.empty()) {
    throw ValidationError("partner_id", "is required (--partner-id or KALTURA_PARTNER_ID)");
  }
  if (s.partner_id.find_first_not_of("0123456789") != std::string::npos || s.partner_id.size() > 12) {
    throw ValidationError(setting_label(s, "partner_id", "--partner-id"),
                          fmt::format("'{}' is not a partner id (digits only)", s.partner_id));
  }
  c.partner_id = PartnerId{std::stoll(s.partner_id)};
  c.admin_secret = s.admin_secret;
  c.user_secret = s.user_secret;
  c.ks = s.ks;
  c.app_token_id = s.app_token_id;
  c.app_token = s.app_token;
  if (!s.app_token_hash.empty()) {
    c.app_token_hash = parse_app_token_hash(s.app_token_hash, setting_label(s, "app_token_hash", "KALTURA_APP_TOKEN_HASH"));
  }
  c.kaf_url = s.kaf_url;
  if (!s.admin_user_id.empty()) c.admin_user_id = s.admin_user_id;
  if (!s.timeout.empty()) {
    c.http.timeout = std::chrono::duration_cast<std::chrono::milliseconds>(
        parse_duration(s.timeout, setting_label(s, "timeout", "--timeout")));
  }
  c.http.ca_file = s.ca_file;
  c.http.proxy = s.proxy;
  c.http.verify_tls = !s.insecure;
  if (!s.rate.empty()) c.rate_limit = parse_rate(s.rate, setting_label(s, "rate", "--rate"));
  if (s.verbose) c.log = verbose_log(io.err);
  c.client_tag = "kmeet-cli:" KMEET_VERSION_STRING;
  try {
    c.validate();  // the SDK's own checks, named by what the user typed
  } catch (const ValidationError& e) {
    static const std::map<std::string, std::string> kFlags = {
        {"service_url", "--service-url"}, {"kaf_url", "--kaf-url"}, {"partner_id", "--partner-id"}};
    auto it = kFlags.find(e.field());
    if (it == kFlags.end()) throw;
    throw ValidationError(setting_label(s, e.field(), it->second), e.reason());
  }
  return c;
}

Client& Ctx::client() {
  if (!client_) client_ = std::make_unique<Client>(config());
  return *client_;
}

void Ctx::warn(const std::string& text) const { io.err << "kmeet: warning: " << printable(text) << '\n'; }

void Ctx::print(const Json& object) const { print_object(io.out, format, object); }

void Ctx::print_list(const Json& array, const std::vector<Column>& columns) const {
  cli::print_list(io.out, format, array, columns);
}

namespace {

// The config file holds a secret and others may read it: warn as ssh does for a private key.
void warn_about_config_mode(const Settings& settings, std::ostream& err) {
  if (settings.config_path.empty() || !settings.config_has_secret) return;
  struct stat st {};
  if (::stat(settings.config_path.c_str(), &st) != 0 || (st.st_mode & 077) == 0) return;
  err << fmt::format("kmeet: warning: {} holds a secret but is readable by others (mode {:04o}); run: chmod 600 {}\n",
                     printable(settings.config_path), st.st_mode & 07777, printable(settings.config_path));
}

// Secrets typed on the command line are visible to other users (ps, shell history).
void warn_about_secret_flags(const FlagValues& flags, std::ostream& err) {
  if (flags.admin_secret) {
    err << "kmeet: warning: --admin-secret on the command line is visible to other users (ps, shell "
           "history); set KALTURA_ADMIN_SECRET instead\n";
  }
  if (flags.user_secret) {
    err << "kmeet: warning: --user-secret on the command line is visible to other users; set "
           "KALTURA_USER_SECRET instead\n";
  }
  if (flags.ks) {
    err << "kmeet: warning: --ks on the command line is visible to other users (ps, shell history); set "
           "KALTURA_KS instead\n";
  }
}

// design.md section 4: with an admin secret, API calls use a KS minted locally (and renewed); a
// KS given as well is not used, and the user is told where both came from.
void drop_ks_beside_admin_secret(Settings& settings, std::ostream& err, Secrets& secrets) {
  if (settings.ks.empty() || settings.admin_secret.empty()) return;
  auto from = [&](const char* key, const char* flag) {
    auto it = settings.source.find(key);
    if (it == settings.source.end()) return std::string("?");
    return it->second == "flag" ? std::string(flag) : it->second;
  };
  err << fmt::format("kmeet: warning: both a KS ({}) and an admin secret ({}) are set; using the admin secret "
                     "(KSs minted locally), not the given KS\n",
                     printable(from("ks", "--ks")), printable(from("admin_secret", "--admin-secret")));
  secrets.add(settings.ks);
  settings.ks.clear();
}

}  // namespace

Ctx make_context(const FlagValues& flags, Io& io, Secrets& secrets) {
  auto read_file = io.read_file;
  Settings settings = resolve_settings(flags, io.getenv, read_file);
  warn_about_config_mode(settings, io.err);
  warn_about_secret_flags(flags, io.err);
  drop_ks_beside_admin_secret(settings, io.err, secrets);
  for (const std::string* s : {&settings.ks, &settings.admin_secret, &settings.user_secret, &settings.app_token}) {
    if (!s->empty()) secrets.add(*s);
  }
  const Format format =
      settings.output.empty() ? (io.out_tty ? Format::table : Format::json) : parse_format(settings.output);
  return Ctx(io, std::move(settings), format, now_seconds());
}

namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// A KS as users paste it: the token itself, the token percent-encoded (`%3D%3D` padding), or a
// whole launch/analytics URL carrying it as `ks=` (the value is taken up to the next `&` or `#`).
std::string ks_from_pasted(std::string text) {
  for (std::size_t at = 0; (at = text.find("ks=", at)) != std::string::npos; ++at) {
    if (at == 0 || text[at - 1] == '?' || text[at - 1] == '&' || text[at - 1] == '#') {
      std::size_t end = text.find_first_of("&#", at + 3);
      text = text.substr(at + 3, end == std::string::npos ? std::string::npos : end - at - 3);
      break;
    }
  }
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    int hi = 0;
    int lo = 0;
    if (text[i] == '%' && i + 2 < text.size() && (hi = hex_digit(text[i + 1])) >= 0 &&
        (lo = hex_digit(text[i + 2])) >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

}  // namespace

std::string read_ks_argument(Ctx& ctx, const std::string& arg) {
  if (arg != "-") return ks_from_pasted(arg);
  // One line, at most kMaxKsBytes: a KS is a few hundred bytes, /dev/urandom is endless.
  std::string line;
  if (ctx.io.in == nullptr) throw ValidationError("KS", "nothing on stdin");
  for (int c = ctx.io.in->get(); c != std::char_traits<char>::eof() && c != '\n'; c = ctx.io.in->get()) {
    if (line.size() >= kMaxKsBytes) {
      throw ValidationError("KS", fmt::format("the line on stdin is longer than {} (the limit for a KS)",
                                              size_text(kMaxKsBytes)));
    }
    line.push_back(static_cast<char>(c));
  }
  if (line.empty() && !*ctx.io.in) throw ValidationError("KS", "nothing on stdin");
  while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
  return ks_from_pasted(std::move(line));
}

}  // namespace kmeet::cli
