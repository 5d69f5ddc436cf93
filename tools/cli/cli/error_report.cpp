#include "cli/error_report.hpp"

#include <exception>
#include <new>
#include <ostream>
#include <string_view>

#include <fmt/format.h>

#include "cli/app.hpp"
#include "cli/safe_text.hpp"
#include "cli/usage.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {

// A redirect is not followed (the KS would go to whatever the Location names): say so, with the
// host the answer points to when its start names one.
std::string http_error_text(const HttpError& e) {
  std::string msg = e.what();
  if (e.status() < 300 || e.status() > 399) return msg;
  msg += " (kmeet does not follow redirects: check the URL, e.g. https:// instead of http:// or a missing path";
  const std::string& body = e.body_snippet();
  for (const char* scheme : {"https://", "http://"}) {
    const auto at = body.find(scheme);
    if (at == std::string::npos) continue;
    const auto host_at = at + std::string_view(scheme).size();
    const auto end = body.find_first_of("/\"'<> ?#\r\n", host_at);
    msg += fmt::format("; the answer points to {}{}", scheme, body.substr(host_at, end - host_at));
    break;
  }
  return msg + ")";
}

}  // namespace

std::string one_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return printable(text);
}

void print_error(std::ostream& err, const Secrets& secrets, const std::string& text) {
  err << "kmeet: error: " << one_line(secrets.scrub(text)) << '\n';
}

int report_current_error(std::ostream& err, const Secrets& secrets) {
  try {
    throw;
  } catch (const ValidationError& e) {
    print_error(err, secrets, fmt::format("{}: {}", flag_for_field(e.field()), reason_for_cli(e.reason())));
    return kUsage;
  } catch (const AppTokenError& e) {
    // What happened to the token and what to do, then the server's code (docs/errors.md).
    print_error(err, secrets, e.what());
    return kFailed;
  } catch (const ApiError& e) {
    std::string msg = fmt::format("API error {}: {}", e.code(), e.api_message());
    if (!e.ks_reason().empty()) msg += fmt::format(" (KS {})", e.ks_reason());
    print_error(err, secrets, msg);
    return kFailed;
  } catch (const HttpError& e) {
    print_error(err, secrets, http_error_text(e));  // "HTTP 503: ..."
    return kFailed;
  } catch (const std::bad_alloc&) {
    // Nothing more is allocated here: the message is a literal.
    err << "kmeet: error: out of memory (the input is too large for this machine)\n";
    return kFailed;
  } catch (const std::exception& e) {
    print_error(err, secrets, reason_for_cli(e.what()));
    return kFailed;
  }
}

}  // namespace kmeet::cli
