// CurlTransport: libcurl easy handles in a small pool shared by threads.
//
// Why the callbacks below exist:
//  * the response size cap is enforced in the write callback, because CURLOPT_MAXFILESIZE does not
//    stop a chunked body on libcurl 7.88;
//  * libcurl silently re-sends a request when a reused keep-alive connection dies before any byte
//    of the response arrives. For non-idempotent requests that would execute a create twice, so a
//    pre-request callback refuses any second attempt within one send() (with or without a body).
//  * the body is handed to libcurl in place (CURLOPT_POSTFIELDS, not copied): over plain HTTP and
//    HTTP/2 a request body below 64 KiB then goes out with the header block, and no 16 KiB upload
//    buffer is allocated per transfer in flight (docs/performance.md, "Provisioning at scale").
//
// Every libcurl call goes through the table of http/curl_api.hpp (linked or loaded on first use).
// On a fiber of the async engine (http/async_engine.hpp) the transfer runs on the engine's multi
// handle instead of curl_easy_perform, with the same options and callbacks.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <mutex>
#include <stdexcept>
#include <vector>

#include "core/redact.hpp"
#include "http/async_engine.hpp"
#include "http/curl_api.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/http.hpp"

#ifndef KMEET_VERSION_STRING
#define KMEET_VERSION_STRING "0.0.0"
#endif

namespace kmeet {
namespace {

using Kind = TransportError::Kind;
using detail::CurlApi;

/// Idle easy handles kept for reuse: as many as an async engine keeps in flight (docs/async.md),
/// so a steady stream of requests does not free and make a handle per request.
constexpr std::size_t kMaxIdleHandles = 256;
constexpr std::size_t kMaxReserve = std::size_t{4} << 20U;

const char* method_name(HttpMethod method) { return method == HttpMethod::get ? "GET" : "POST"; }

/// `scheme://host:port/path` of a URL: no user info, no query (it may hold a KS), no fragment.
/// Path segments that look like a KS are redacted too.
std::string safe_url(const CurlApi& curl, const std::string& url) {
  CURLU* handle = curl.url();
  if (handle == nullptr) return "<url>";
  std::string out = "<invalid url>";
  if (curl.url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK) {
    auto part = [&](CURLUPart which, unsigned int flags) {
      char* value = nullptr;
      std::string text;
      if (curl.url_get(handle, which, &value, flags) == CURLUE_OK && value != nullptr) text = value;
      curl.free(value);
      return text;
    };
    const std::string path = part(CURLUPART_PATH, 0);
    std::string safe_path;
    std::size_t start = 0;
    while (start <= path.size()) {
      const auto slash = std::min(path.find('/', start), path.size());
      safe_path += detail::redact_tokens(std::string_view(path).substr(start, slash - start));
      if (slash < path.size()) safe_path += '/';
      start = slash + 1;
    }
    out = fmt::format("{}://{}:{}{}", part(CURLUPART_SCHEME, 0), part(CURLUPART_HOST, 0),
                      part(CURLUPART_PORT, CURLU_DEFAULT_PORT), safe_path);
  }
  curl.url_cleanup(handle);
  return out;
}

/// Refuses anything that is not an absolute http(s) URL, before anything is sent. The URL itself is
/// not echoed: it may carry a KS.
void validate_url(const CurlApi& curl, const std::string& url) {
  CURLU* handle = curl.url();
  if (handle == nullptr) throw std::bad_alloc();  // curl_url() fails only when memory runs out
  char* scheme = nullptr;
  const bool parsed = curl.url_set(handle, CURLUPART_URL, url.c_str(), 0) == CURLUE_OK &&
                      curl.url_get(handle, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK;
  const std::string scheme_text = scheme != nullptr ? scheme : "";
  curl.free(scheme);
  curl.url_cleanup(handle);
  if (!parsed) throw ValidationError("request.url", "is not a valid absolute URL");
  if (scheme_text != "http" && scheme_text != "https") {
    throw ValidationError("request.url", "scheme must be http or https");
  }
}

void replace_all(std::string& text, std::string_view what, std::string_view with) {
  if (what.empty()) return;
  for (auto pos = text.find(what); pos != std::string::npos;
       pos = text.find(what, pos + with.size())) {
    text.replace(pos, what.size(), with);
  }
}

bool has_line_break(std::string_view text) {
  return text.find_first_of("\r\n") != std::string_view::npos || text.find('\0') != std::string_view::npos;
}

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' || text.back() == '\r' ||
                           text.back() == '\n')) {
    text.remove_suffix(1);
  }
  return text;
}

/// Everything one send() needs inside libcurl's callbacks.
struct Exchange {
  const HttpRequest* request = nullptr;
  std::size_t cap = 0;
  int attempts = 0;            // pre-request callback calls: 1 + transparent re-sends
  bool resend_refused = false;  // a second attempt of a non-idempotent request was stopped
  bool too_large = false;
  HttpResponse response;
  std::array<char, CURL_ERROR_SIZE> error{};
};

size_t on_write(char* data, size_t size, size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  if (n > ex.cap - std::min(ex.cap, ex.response.body.size())) {
    ex.too_large = true;
    return 0;  // aborts the transfer with CURLE_WRITE_ERROR
  }
  ex.response.body.append(data, n);
  return n;
}

size_t on_header(char* data, size_t size, size_t count, void* user) {
  auto& ex = *static_cast<Exchange*>(user);
  const size_t n = size * count;
  const std::string_view line(data, n);
  if (line.starts_with("HTTP/")) {
    // A new status line: informational (1xx) or proxy responses before it are forgotten.
    ex.response.headers.clear();
    ex.response.body.clear();
    return n;
  }
  const auto content = trim(line);
  if (content.empty()) return n;
  if ((line.front() == ' ' || line.front() == '\t') && !ex.response.headers.empty()) {
    // Obsolete line folding: a continuation of the previous header's value.
    auto& value = ex.response.headers.back().second;
    value += ' ';
    value += content;
    return n;
  }
  const auto colon = content.find(':');
  if (colon == std::string_view::npos) return n;
  const auto name = trim(content.substr(0, colon));
  const auto value = trim(content.substr(colon + 1));
  ex.response.headers.emplace_back(std::string(name), std::string(value));
  if (iequals(name, "Content-Length")) {
    std::size_t length = 0;
    const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), length);
    if (ec == std::errc{} && end == value.data() + value.size()) {
      if (length > ex.cap) {
        ex.too_large = true;
        return 0;  // refuse before receiving any of it
      }
      ex.response.body.reserve(std::min(length, kMaxReserve));
    }
  }
  return n;
}

int on_prereq(void* user, char* /*remote_ip*/, char* /*local_ip*/, int /*remote_port*/,
              int /*local_port*/) {
  auto& ex = *static_cast<Exchange*>(user);
  ++ex.attempts;
  if (ex.attempts > 1 && !ex.request->idempotent) {
    ex.resend_refused = true;
    return CURL_PREREQFUNC_ABORT;
  }
  return CURL_PREREQFUNC_OK;
}

bool is_tls_error(CURLcode rc) {
  switch (rc) {
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ENGINE_NOTFOUND:
    case CURLE_SSL_ENGINE_SETFAILED:
    case CURLE_SSL_ENGINE_INITFAILED:
    case CURLE_SSL_SHUTDOWN_FAILED:
    case CURLE_SSL_CRL_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_SSL_CLIENTCERT:
    case CURLE_USE_SSL_FAILED:
      return true;
    default:
      return false;
  }
}

/// A refused option is a kmeet bug or a libcurl built without a feature: say which.
/// The options of one easy handle, set through the table. The value types are the ones curl.h
/// documents for each option (long, curl_off_t, a pointer or a callback).
class Options {
 public:
  Options(const CurlApi& curl, CURL* handle) : curl_(curl), handle_(handle) {}
  template <typename T>
  void set(CURLoption option, T value) const {
    const CURLcode rc = curl_.easy_setopt(handle_, option, value);
    if (rc != CURLE_OK) {
      throw TransportError(Kind::other,
                           fmt::format("libcurl refused option {}: {}", static_cast<int>(option),
                                       curl_.easy_strerror(rc)),
                           false);
    }
  }

 private:
  const CurlApi& curl_;
  CURL* handle_;
};

/// A curl_slist owned here.
class Slist {
 public:
  explicit Slist(const CurlApi& curl) : curl_(curl) {}
  ~Slist() { curl_.slist_free_all(list_); }
  Slist(const Slist&) = delete;
  Slist& operator=(const Slist&) = delete;
  Slist(Slist&&) = delete;
  Slist& operator=(Slist&&) = delete;

  void append(const std::string& line) {
    curl_slist* next = curl_.slist_append(list_, line.c_str());
    if (next == nullptr) throw std::bad_alloc();  // libcurl's only reason to refuse
    list_ = next;
  }
  [[nodiscard]] curl_slist* get() const { return list_; }

 private:
  const CurlApi& curl_;
  curl_slist* list_ = nullptr;
};

/// The request's headers as libcurl takes them, after refusing a name or value that would split
/// the header block. No `Expect: 100-continue` round trip, and no form content type that the
/// caller did not ask for.
void add_headers(Slist& headers, const HttpRequest& request) {
  bool has_content_type = false;
  bool has_expect = false;
  for (const auto& [name, value] : request.headers) {
    if (name.empty() || has_line_break(name) || name.find(':') != std::string::npos) {
      throw ValidationError("request.headers", "a header name is empty or contains ':' or a line break");
    }
    if (has_line_break(value)) {
      throw ValidationError("request.headers", fmt::format("header {} contains a line break", name));
    }
    has_content_type = has_content_type || iequals(name, "Content-Type");
    has_expect = has_expect || iequals(name, "Expect");
    // "Name;" is libcurl's way to send a header with an empty value.
    headers.append(value.empty() ? name + ";" : name + ": " + value);
  }
  if (!has_expect) headers.append("Expect:");
  if (request.method == HttpMethod::post && !has_content_type) headers.append("Content-Type:");
}

/// What send() refuses before touching libcurl.
void check_request(const CurlApi& curl, const HttpRequest& request) {
  if (request.method == HttpMethod::get && !request.body.empty()) {
    throw ValidationError("request.body", "must be empty for GET");
  }
  if (request.timeout.count() < 0) throw ValidationError("request.timeout", "must not be negative");
  // Parsing the URL costs as much as a tenth of a keep-alive call: a thread remembers the last URL
  // that passed (validation depends on nothing else) and skips the parse when it comes again.
  thread_local std::string last_valid_url;
  if (request.url != last_valid_url) {
    validate_url(curl, request.url);
    last_valid_url = request.url;
  }
}

/// Everything libcurl needs for one exchange; the pointers stay valid until it ends.
void set_options(const Options& o, const HttpOptions& opt, const std::string& user_agent, const HttpRequest& request,
                 std::chrono::milliseconds total, const Slist& headers, Exchange& ex) {
  o.set(CURLOPT_URL, request.url.c_str());
  o.set(CURLOPT_PROTOCOLS_STR, "http,https");
  o.set(CURLOPT_NOSIGNAL, 1L);
  o.set(CURLOPT_ERRORBUFFER, ex.error.data());
  o.set(CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(opt.connect_timeout.count()));
  o.set(CURLOPT_TIMEOUT_MS, static_cast<long>(total.count()));
  o.set(CURLOPT_TCP_KEEPALIVE, 1L);
  o.set(CURLOPT_SSL_VERIFYPEER, opt.verify_tls ? 1L : 0L);
  o.set(CURLOPT_SSL_VERIFYHOST, opt.verify_tls ? 2L : 0L);
  if (!opt.ca_file.empty()) o.set(CURLOPT_CAINFO, opt.ca_file.c_str());
  if (!opt.ca_path.empty()) o.set(CURLOPT_CAPATH, opt.ca_path.c_str());
  if (!opt.proxy.empty()) o.set(CURLOPT_PROXY, opt.proxy.c_str());
  o.set(CURLOPT_USERAGENT, user_agent.c_str());
  o.set(CURLOPT_ACCEPT_ENCODING, "gzip");
  o.set(CURLOPT_MAXFILESIZE_LARGE, static_cast<curl_off_t>(opt.max_response_bytes));
  // api_v3 bodies are small: libcurl's smallest upload buffer (16 KiB, not 64; only HTTPS over
  // HTTP/1.1 still allocates it, see POSTFIELDS) and a 4 KiB receive buffer (not 16) keep hundreds
  // of transfers in flight (docs/async.md) from costing megabytes: each holds its buffers from
  // connect to the end of the answer. Larger answers arrive in more pieces, nothing else.
  o.set(CURLOPT_UPLOAD_BUFFERSIZE, 16384L);
  o.set(CURLOPT_BUFFERSIZE, 4096L);
  o.set(CURLOPT_HTTPHEADER, headers.get());
  o.set(CURLOPT_WRITEFUNCTION, &on_write);
  o.set(CURLOPT_WRITEDATA, static_cast<void*>(&ex));
  o.set(CURLOPT_HEADERFUNCTION, &on_header);
  o.set(CURLOPT_HEADERDATA, static_cast<void*>(&ex));
  o.set(CURLOPT_PREREQFUNCTION, &on_prereq);
  o.set(CURLOPT_PREREQDATA, static_cast<void*>(&ex));
  if (request.method == HttpMethod::post) {
    o.set(CURLOPT_POST, 1L);
    // The size first: with it libcurl takes the body as bytes, not as a C string. The body is
    // not copied (POSTFIELDS, not COPYPOSTFIELDS): `request` outlives the transfer.
    o.set(CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(request.body.size()));
    o.set(CURLOPT_POSTFIELDS, request.body.data());
  } else {
    o.set(CURLOPT_HTTPGET, 1L);
  }
}

/// libcurl's reason for a failed exchange, without the query string (it may hold a KS) or
/// anything that looks like a token.
std::string failure_reason(const CurlApi& curl, const HttpRequest& request, const Exchange& ex, CURLcode rc) {
  std::string reason = ex.error[0] != '\0' ? std::string(ex.error.data()) : curl.easy_strerror(rc);
  replace_all(reason, request.url, safe_url(curl, request.url));
  if (const auto q = request.url.find('?'); q != std::string::npos) {
    replace_all(reason, std::string_view(request.url).substr(q + 1), "…");
  }
  return detail::redact_tokens(reason);
}

/// Turns a failed exchange into the TransportError of its kind; `sent` says whether the request
/// may have reached the server (the pre-request callback ran).
[[noreturn]] void throw_failure(const CurlApi& curl, const HttpRequest& request, const HttpOptions& opt,
                                std::chrono::milliseconds total, const Exchange& ex, CURLcode rc) {
  const std::string where = fmt::format("{} {}", method_name(request.method), safe_url(curl, request.url));
  const std::string reason = failure_reason(curl, request, ex, rc);
  const bool sent = ex.attempts > 0;
  const char* maybe = sent ? "; the request may have been executed" : "";

  if (ex.too_large || rc == CURLE_FILESIZE_EXCEEDED) {
    throw TransportError(Kind::too_large,
                         fmt::format("{}: response larger than the {}-byte limit "
                                     "(HttpOptions::max_response_bytes); the request was executed",
                                     where, opt.max_response_bytes),
                         true);
  }
  if (ex.resend_refused || rc == CURLE_SEND_FAIL_REWIND) {
    throw TransportError(Kind::reset,
                         fmt::format("{}: the connection closed before a response arrived; not "
                                     "re-sent because the request is not idempotent; the request "
                                     "may have been executed",
                                     where),
                         true);
  }
  switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
      throw TransportError(Kind::connect, fmt::format("{}: could not connect: {}{}", where, reason, maybe),
                           sent);
    case CURLE_OPERATION_TIMEDOUT:
      throw TransportError(Kind::timeout,
                           fmt::format("{}: timed out ({} ms connect, {} ms total): {}{}", where,
                                       opt.connect_timeout.count(), total.count(), reason, maybe),
                           sent);
    case CURLE_GOT_NOTHING:
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
      throw TransportError(Kind::reset,
                           fmt::format("{}: connection lost: {}{}", where, reason, maybe), sent);
    default:
      break;
  }
  if (is_tls_error(rc)) {
    throw TransportError(Kind::tls,
                         fmt::format("{}: TLS failure: {} (check HttpOptions::ca_file / ca_path){}",
                                     where, reason, maybe),
                         sent);
  }
  throw TransportError(Kind::other, fmt::format("{}: {}{}", where, reason, maybe), sent);
}

}  // namespace

struct CurlTransport::Impl {
  explicit Impl(const CurlApi& api) : curl(api) {}
  const CurlApi& curl;
  HttpOptions options;
  std::string user_agent;
  std::mutex mutex;
  std::vector<CURL*> idle;  // LIFO: the most recently used handle (warm connection) goes out first

  CURL* checkout() {
    {
      const std::lock_guard lock(mutex);
      if (!idle.empty()) {
        CURL* handle = idle.back();
        idle.pop_back();
        return handle;
      }
    }
    CURL* handle = curl.easy_init();
    if (handle == nullptr) throw TransportError(Kind::other, "libcurl could not create a handle", false);
    return handle;
  }

  void checkin(CURL* handle) {
    // Reset drops every option (and pointers into the finished send()) but keeps live connections.
    curl.easy_reset(handle);
    {
      const std::lock_guard lock(mutex);
      if (idle.size() < kMaxIdleHandles) {
        idle.push_back(handle);
        return;
      }
    }
    curl.easy_cleanup(handle);
  }

  ~Impl() {
    for (CURL* handle : idle) curl.easy_cleanup(handle);
  }

  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;
  Impl(Impl&&) = delete;
  Impl& operator=(Impl&&) = delete;
};

CurlTransport::CurlTransport(HttpOptions options) : impl_(std::make_unique<Impl>(detail::curl_api())) {
  if (options.connect_timeout.count() < 0) {
    throw ValidationError("http.connect_timeout", "must not be negative");
  }
  if (options.timeout.count() < 0) throw ValidationError("http.timeout", "must not be negative");
  if (options.max_response_bytes == 0) {
    throw ValidationError("http.max_response_bytes", "must be greater than zero");
  }
  if (has_line_break(options.user_agent)) {
    throw ValidationError("http.user_agent", "must not contain line breaks");
  }
  impl_->user_agent = options.user_agent.empty()
                          ? std::string("kmeet/") + KMEET_VERSION_STRING
                          : options.user_agent;
  impl_->options = std::move(options);
}

CurlTransport::~CurlTransport() = default;

HttpResponse CurlTransport::send(const HttpRequest& request) {
  Impl* impl = impl_.get();
  const CurlApi& curl = impl->curl;
  const HttpOptions& opt = impl->options;
  check_request(curl, request);
  Slist headers(curl);
  add_headers(headers, request);

  Exchange ex;
  ex.request = &request;
  ex.cap = opt.max_response_bytes;
  const auto total = request.timeout.count() > 0 ? request.timeout : opt.timeout;

  auto checkin = [impl](CURL* h) { impl->checkin(h); };
  const std::unique_ptr<CURL, decltype(checkin)> owned(impl->checkout(), checkin);
  CURL* handle = owned.get();
  set_options(Options(curl, handle), opt, impl->user_agent, request, total, headers, ex);

  CURLcode rc = CURLE_OK;
  if (detail::AsyncEngine::on_engine_fiber()) {
    // An asynchronous call (docs/async.md): the engine's loop runs the transfer with its others,
    // on its multi handle's connections; over HTTPS a new transfer first waits to share an HTTP/2
    // connection instead of opening one more.
    if (request.url.starts_with("https:")) Options(curl, handle).set(CURLOPT_PIPEWAIT, 1L);
    rc = detail::AsyncEngine::perform(handle);
  } else {
    rc = curl.easy_perform(handle);
  }
  if (rc != CURLE_OK || ex.too_large) throw_failure(curl, request, opt, total, ex, rc);
  long status = 0;
  curl.easy_getinfo(handle, CURLINFO_RESPONSE_CODE, &status);
  ex.response.status = static_cast<int>(status);
  ex.response.sends = std::max(1, ex.attempts);
  return std::move(ex.response);
}

}  // namespace kmeet
