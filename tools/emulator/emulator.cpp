#include "emulator.hpp"

#include <httplib.h>

#include <sys/socket.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>
#include <sstream>
#include <thread>

#include "api.hpp"
#include "entries.hpp"
#include "faults.hpp"
#include "http_front.hpp"
#include "kaf.hpp"
#include "model.hpp"
#include "params.hpp"
#include "state_file.hpp"

namespace kmeet::emulator {

namespace {

std::int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

/// The request path for --verbose, without anything that may hold a KS: api_v3 path pairs after the
/// action (`/ks/...`) and the query string are left out; index.php shows its service and action.
std::string log_path(const httplib::Request& req) {
  const std::string& path = req.path;
  if (path.rfind("/api_v3/service/", 0) == 0) {
    // Keep /api_v3/service/S and, when it follows, /action/A; drop every later pair.
    const auto parts = split(path.substr(1), '/');
    std::string out = "/api_v3/service/" + (parts.size() > 2 ? parts[2] : std::string());
    if (parts.size() > 4 && parts[3] == "action") out += "/action/" + parts[4];
    return out;
  }
  if (path == "/api_v3/index.php" || path == "/api_v3/index.php/") {
    std::string out = path;
    for (const char* key : {"service", "action"}) {
      if (req.has_param(key)) out += std::string(" ") + key + "=" + req.get_param_value(key).substr(0, 64);
    }
    return out;
  }
  return path;
}

/// PHP json_encode without JSON_UNESCAPED_SLASHES / _UNICODE: `\/` and `\uXXXX`.
std::string php_json(const Json& j) {
  const std::string s = j.dump(-1, ' ', true, nlohmann::ordered_json::error_handler_t::replace);
  std::string out;
  out.reserve(s.size() + 8);
  for (const char c : s) {
    if (c == '/') {
      out += "\\/";  // only inside strings: '/' cannot appear elsewhere in JSON
    } else {
      out.push_back(c);
    }
  }
  return out;
}

std::string xml_escape(const std::string& s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string xml_value(const Json& j) {
  if (j.is_object()) {
    std::string out;
    if (j.value("objectType", std::string()) == "KalturaAPIException") {
      out += "<error><objectType>KalturaAPIException</objectType><code>" +
             xml_escape(j.value("code", std::string())) + "</code><message>" +
             xml_escape(j.value("message", std::string())) + "</message><args>";
      if (j.contains("args") && j["args"].is_object()) {
        for (auto it = j["args"].begin(); it != j["args"].end(); ++it) {
          out += "<item><objectType>KalturaApiExceptionArg</objectType><name>" + xml_escape(it.key()) +
                 "</name><value>" + xml_escape(json_strval(*it)) + "</value></item>";
        }
      }
      return out + "</args></error>";
    }
    if (j.contains("objectType")) {
      out += "<objectType>" + xml_escape(j["objectType"].get<std::string>()) + "</objectType>";
    }
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() != "objectType") {
        out += "<" + it.key() + ">" + xml_value(*it) + "</" + it.key() + ">";
      }
    }
    return out;
  }
  if (j.is_array()) {
    std::string out;
    for (const auto& e : j) {
      out += "<item>" + xml_value(e) + "</item>";
    }
    return out;
  }
  if (j.is_boolean()) {
    return j.get<bool>() ? "1" : "0";
  }
  return xml_escape(json_strval(j));
}

std::string html_fault_page(int status, const char* reason) {
  return "<!DOCTYPE HTML PUBLIC \"-//IETF//DTD HTML 2.0//EN\">\n<html><head>\n<title>" + std::to_string(status) +
         " " + reason + "</title>\n</head><body>\n<h1>" + reason +
         "</h1>\n<p>The server is temporarily unable to service your request.</p>\n<hr>\n"
         "<address>Apache Server at kmeet-emulator</address>\n</body></html>\n";
}

const char* reason_phrase(int status) {
  switch (status) {
    case 500: return "Internal Server Error";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    case 429: return "Too Many Requests";
    default: return "Error";
  }
}

/// A JSONP callback that is a plain (dotted) JavaScript name: letters, digits, `_`, `$`, `.`.
bool is_safe_callback(const std::string& cb) {
  if (cb.empty() || cb.size() > 128) {
    return false;
  }
  return std::all_of(cb.begin(), cb.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' || c == '$' || c == '.';
  });
}

std::string session_header() {
  thread_local std::mt19937 rng{std::random_device{}()};
  return std::to_string(rng() % 2000000000U) + ", " + std::to_string(unix_now());
}

}  // namespace

struct Emulator::Impl {
  explicit Impl(Config cfg) : world(std::move(cfg)), api(world) {
    faults = parse_faults(world.cfg.faults);
    fault_seed = world.cfg.seed;
    const std::string& file = world.cfg.state_file;
    if (file.empty()) {
      return;
    }
    if (std::filesystem::exists(file)) {
      const Json j = Json::parse(read_state_file(file), nullptr, false);
      if (!j.is_object()) {
        throw std::runtime_error("state file " + file + " is not a JSON object");
      }
      world.state = State::from_json(j);
    }
    // Fail now rather than answer "saved" later: the directory must take the file.
    const std::string why = check_writable_dir(file);
    if (!why.empty()) {
      throw std::runtime_error("cannot write state file " + file + " (" + why + ")");
    }
  }

  World world;
  Api api;
  FaultSpec faults;              ///< guarded by faults_mu (POST /__emulator/faults replaces it)
  std::uint64_t fault_seed = 0;  ///< guarded by faults_mu
  std::mutex faults_mu;
  std::atomic<std::uint64_t> fault_counter{0};
  /// cpp-httplib routes and processes the requests; HttpFront owns the connections (HTTP or HTTPS).
  std::unique_ptr<Router> router;
  std::unique_ptr<HttpFront> front;
  std::thread listener;
  std::thread saver;
  std::mutex saver_mu;
  std::condition_variable saver_cv;
  bool stopping = false;
  bool started = false;
  int port = 0;
  std::mutex save_mu;
  std::string last_save_error;  ///< guarded by save_mu; logged once per new error

  /// Writes the state file; "" or why it failed (then the state stays dirty for the next try).
  std::string save() {
    if (world.cfg.state_file.empty()) {
      return {};
    }
    std::lock_guard<std::mutex> save_lock(save_mu);
    std::string text;
    {
      std::lock_guard<std::mutex> lock(world.mu);
      world.dirty = false;
      text = world.state.to_json().dump(1) + "\n";
    }
    const std::string why = write_atomically(world.cfg.state_file, text);
    if (why.empty()) {
      last_save_error.clear();
      return {};
    }
    world.dirty = true;
    const std::string err = "cannot write state file " + world.cfg.state_file + " (" + why + ")";
    if (err != last_save_error) {
      std::cerr << "kmeet-emulator: " + err + "\n";
      last_save_error = err;
    }
    return err;
  }

  /// next_fault(): the `delay` fault's wait for the request this worker runs (0 when none).
  static inline thread_local std::chrono::milliseconds fault_delay{0};

  /// The fault for this request (under the current spec and seed); a `delay` sets fault_delay.
  FaultDecision next_fault() {
    fault_delay = std::chrono::milliseconds(0);
    FaultSpec spec;
    std::uint64_t seed = 0;
    {
      std::lock_guard<std::mutex> lock(faults_mu);
      spec = faults;
      seed = fault_seed;
    }
    if (!spec.any()) {
      return {};
    }
    const FaultDecision d = decide(spec, seed, fault_counter++);
    if (d.delay) {
      count_fault("delay");
      fault_delay = std::chrono::milliseconds(spec.delay_ms);
    }
    return d;
  }

  void count_fault(const std::string& kind) {
    std::lock_guard<std::mutex> lock(world.mu);
    ++world.fault_counts[kind];
  }

  static void common_headers(httplib::Response& res) {
    res.set_header("X-Kaltura-Session", session_header());
    res.set_header("X-Me", "kmeet-emulator");
    res.set_header("Access-Control-Expose-Headers",
                   "Server, Content-Length, Content-Range, Date, X-Kaltura, X-Kaltura-Session, X-Me");
  }

  void execute_api(const httplib::Request& req, httplib::Response& res) {
    HttpInput in;
    in.path = req.path;
    const auto q = req.target.find('?');
    if (q != std::string::npos) {
      in.query = req.target.substr(q + 1);
    }
    in.content_type = req.get_header_value("Content-Type");
    in.body = req.body;
    for (const auto& [name, file] : req.files) {
      in.multipart.emplace_back(name, file.content);
    }
    const Json params = build_params(in);
    const auto fmt = params.find("format");
    const std::string format = fmt == params.end() ? std::string() : json_strval(*fmt);
    const auto cb = params.find("callback");
    const std::string callback = cb == params.end() ? std::string("callback") : json_strval(*cb);
    if (format == "9" && !is_safe_callback(callback)) {
      // Never reflected: a callback is script the page runs. Refused before anything executes.
      res.status = 400;
      res.set_content(limit_error_body("callback must be 1 to 128 letters, digits, '_', '$' or '.'"),
                      "application/json");
      return;
    }
    const Json result = api.handle(params, world.now());
    if (result.is_object() && result.value("objectType", std::string()) == "KalturaAPIException" &&
        result.value("code", std::string()) == "SERVICE_FORBIDDEN") {
      res.set_header("X-Kaltura", "error-SERVICE_FORBIDDEN");
    }
    res.status = 200;
    if (format == "1") {
      res.set_content(php_json(result), "application/json");
    } else if (format == "9") {
      res.set_content(callback + "(" + php_json(result) + ");", "application/javascript");
    } else {
      // No (or another) format: the server's default is XML (A.3).
      res.set_content("<?xml version=\"1.0\" encoding=\"utf-8\"?><xml><result>" + xml_value(result) +
                          "</result><executionTime>0.001</executionTime></xml>",
                      "text/xml");
    }
  }

  /// A reset fault: at once, or (a delayed answer) by the front's timer when the answer is due.
  static void reset(const httplib::Request& req, bool delayed) {
    if (delayed) {
      reset_when_due();
    } else {
      reset_connection(req.local_port, req.remote_addr, req.remote_port);
    }
  }

  void handle(const httplib::Request& req, httplib::Response& res) {
    const std::string& path = req.path;
    if (path.rfind("/__emulator/", 0) == 0) {
      admin(req, res);
      return;
    }
    const bool is_api = path == "/api_v3" || path.rfind("/api_v3/", 0) == 0;
    const bool is_launch = path == "/virtualEvent/launch";
    const bool is_kaf_api = path == "/newrowkaf/index/api";
    common_headers(res);
    if (is_media_path(path)) {  // J.6 entry URLs: no faults, no api_v3 envelope
      const MediaAnswer m = serve_media(world, path, world.now());
      res.status = m.status;
      for (const auto& [name, value] : m.headers) res.set_header(name, value);
      res.set_content(m.body, m.content_type);
      return;
    }
    if (!is_api && !is_launch && !is_kaf_api) {
      res.status = 404;
      res.set_content(html_fault_page(404, "Not Found"), "text/html");
      return;
    }
    ++world.requests;
    const FaultDecision d = next_fault();
    const auto wait = std::chrono::milliseconds(world.cfg.latency_ms) + fault_delay;
    const bool delayed = wait.count() > 0;
    if (delayed) {
      // --latency and the `delay` fault: the answer is made now and written by the front's timer
      // when due; the worker goes on to the next request.
      respond_at(std::chrono::steady_clock::now() + wait);
    }
    if (d.kind != Fault::none) {
      count_fault(std::string(to_string(d.kind)));
    }
    switch (d.kind) {
      case Fault::http_5xx:
        res.status = d.status;
        res.set_content(html_fault_page(d.status, reason_phrase(d.status)), "text/html");
        return;
      case Fault::http_429:
        res.status = 429;
        res.set_header("Retry-After", "1");
        res.set_content(html_fault_page(429, reason_phrase(429)), "text/html");
        return;
      case Fault::html:
        res.status = 200;
        res.set_content(html_fault_page(200, "Service Temporarily Unavailable"), "text/html");
        return;
      case Fault::reset_before:
        reset(req, delayed);
        res.status = 500;
        return;
      default:
        break;
    }

    if (is_api) {
      execute_api(req, res);
    } else {
      const std::string ks = req.get_param_value("ks");
      const KafResponse k = is_launch ? kaf_launch(world, ks, world.now()) : kaf_api(world, ks, world.now());
      res.status = k.status;
      res.set_content(k.body, k.content_type);
    }

    if (d.kind == Fault::reset_after) {
      reset(req, delayed);
      return;
    }
    if (d.kind == Fault::malformed) {
      res.status = 200;
      const std::string body = res.body;
      res.set_content(body.substr(0, body.size() / 2), "application/json");
    }
  }

  Json stats_json() {
    Json out = Json::object();
    std::lock_guard<std::mutex> lock(world.mu);
    const State& st = world.state;
    out["requests"] = world.requests.load();
    Json f = Json::object();
    for (const auto& [k, v] : world.fault_counts) {
      f[k] = v;
    }
    out["faults"] = f;
    std::int64_t res_active = 0, res_deleted = 0, ev_active = 0, ev_cancelled = 0, ev_deleted = 0;
    std::size_t app_tokens = 0;
    for (const auto& [id, t] : st.app_tokens) {
      app_tokens += json_intval(t.props.value("status", Json(0))) == 3 ? 0 : 1;
    }
    for (const auto& [id, o] : st.resources) {
      (json_intval(o.props.value("status", Json(0))) == 3 ? res_deleted : res_active)++;
    }
    for (const auto& [id, o] : st.events) {
      const auto s = json_intval(o.props.value("status", Json(0)));
      (s == 3 ? ev_deleted : s == 1 ? ev_cancelled : ev_active)++;
    }
    out["objects"] = Json{{"resources", res_active},
                          {"events", ev_active},
                          {"links", st.links.size()},
                          {"deleted_resources", res_deleted},
                          {"deleted_events", ev_deleted},
                          {"cancelled_events", ev_cancelled},
                          {"sessions", st.sessions.size()},
                          {"users", st.newrow_users.size()},
                          {"messages", st.messages.size()},
                          {"entries", st.entries.size()},
                          {"logged_out", st.logged_out.size()},
                          {"app_tokens", app_tokens},
                          {"deleted_app_tokens", st.app_tokens.size() - app_tokens}};
    out["joins"] = st.joins;
    return out;
  }

  Json objects_json() {
    Json out = Json::object();
    std::lock_guard<std::mutex> lock(world.mu);
    const State& st = world.state;
    Json rs = Json::array();
    for (const auto& [id, o] : st.resources) {
      rs.push_back(serialize(o.cls, o.props));
    }
    Json es = Json::array();
    for (const auto& [id, o] : st.events) {
      es.push_back(serialize(o.cls, o.props));
    }
    Json ls = Json::array();
    for (const auto& [k, l] : st.links) {
      ls.push_back(Json{{"eventId", l.event_id}, {"resourceId", l.resource_id}, {"createdAt", l.created_at},
                        {"updatedAt", l.updated_at}});
    }
    const Json full = st.to_json();
    out["resources"] = rs;
    out["events"] = es;
    out["links"] = ls;
    out["sessions"] = full["sessions"];
    out["users"] = full["newrow_users"];
    out["messages"] = full["messages"];
    out["joins"] = st.joins;
    Json entries = Json::array();
    for (const auto& [id, o] : st.entries) entries.push_back(entry_json(o));
    out["entries"] = std::move(entries);
    Json tokens = Json::array();
    for (const auto& [id, t] : st.app_tokens) {
      Json props = t.props;
      props.erase("token");  // a secret: apptoken.get returns it to an admin KS
      tokens.push_back(serialize("KalturaAppToken", props));
    }
    out["app_tokens"] = std::move(tokens);
    return out;
  }

  void admin(const httplib::Request& req, httplib::Response& res) {
    const std::string what = req.path.substr(std::string("/__emulator/").size());
    Json out = Json::object();
    if (what == "stats" && req.method == "GET") {
      out = stats_json();
    } else if (what == "objects" && req.method == "GET") {
      out = objects_json();
    } else if (what == "reset" && req.method == "POST") {
      reset();
      out["status"] = "ok";
    } else if (what == "save" && req.method == "POST") {
      const std::string err = save();
      if (!err.empty()) {
        res.status = 500;
        out["error"] = err;
      } else {
        out["status"] = "ok";
      }
    } else if (what == "recordings" && req.method == "POST") {
      out = admin_record(req.body, res);
    } else if (what == "clock") {
      out = clock_endpoint(req, res);
    } else if (what == "faults" && req.method == "POST") {
      out = faults_endpoint(req, res);
    } else if (what == "apptoken-status" && req.method == "POST") {
      out = apptoken_status_endpoint(req, res);
    } else if (what == "messages" && req.method == "POST") {
      const Json in = Json::parse(req.body, nullptr, false);
      if (!in.is_object()) {
        res.status = 400;
        out["error"] = "body must be a JSON object";
      } else {
        const std::string err =
            add_message(world, json_intval(in.value("resourceId", Json(0))), in.value("type", std::string("public")),
                        in.value("userId", std::string()), in.value("userName", std::string()),
                        in.value("message", std::string()), world.now());
        if (!err.empty()) {
          res.status = 400;
          out["error"] = err;
        } else {
          out["status"] = "ok";
        }
      }
    } else {
      res.status = 404;
      out["error"] = "unknown admin endpoint";
    }
    res.set_content(out.dump(), "application/json");
  }

  /// `POST /__emulator/recordings` (docs/emulator.md "Recordings").
  Json admin_record(const std::string& body, httplib::Response& res) {
    Json out = Json::object();
    const Json in = Json::parse(body, nullptr, false);
    if (!in.is_object()) {
      res.status = 400;
      out["error"] = "body must be a JSON object";
      return out;
    }
    try {
      std::lock_guard<std::mutex> lock(world.mu);
      out["entry"] = record_now(world, in, world.now());
      out["status"] = "ok";
    } catch (const std::invalid_argument& e) {
      res.status = 400;
      out["error"] = e.what();
    }
    return out;
  }

  /// `POST /__emulator/reset`: an empty world, counters and rate-limit windows, the real clock.
  void reset() {
    {
      std::lock_guard<std::mutex> lock(world.mu);
      world.state = State{};
      world.fault_counts.clear();
      world.requests = 0;
      world.dirty = true;
      world.clock_offset = 0;
    }
    world.reset_rate_limits();
    fault_counter = 0;
  }

  /// `GET|POST /__emulator/clock` (`{"advance":S}` or `{"now":T}`): the emulator's clock.
  Json clock_endpoint(const httplib::Request& req, httplib::Response& res) {
    if (req.method == "POST") {
      const Json in = Json::parse(req.body, nullptr, false);
      const bool advance = in.is_object() && in.contains("advance") && in["advance"].is_number_integer();
      const bool set = in.is_object() && in.contains("now") && in["now"].is_number_integer();
      if (advance == set) {
        res.status = 400;
        return Json{{"error", "body must be {\"advance\":SECONDS} or {\"now\":UNIX_TIME} (integers)"}};
      }
      if (advance) {
        world.clock_offset += in["advance"].get<std::int64_t>();
      } else {
        world.clock_offset += in["now"].get<std::int64_t>() - world.now();
      }
    } else if (req.method != "GET") {
      res.status = 404;
      return Json{{"error", "unknown admin endpoint"}};
    }
    return Json{{"now", world.now()}, {"offset", world.clock_offset.load()}};
  }

  /// `POST /__emulator/faults {"faults":SPEC,"seed":N}`: replaces the fault spec (as --faults/--seed).
  Json faults_endpoint(const httplib::Request& req, httplib::Response& res) {
    const Json in = Json::parse(req.body, nullptr, false);
    if (!in.is_object() || !in.value("faults", Json()).is_string() ||
        (in.contains("seed") && !in["seed"].is_number_unsigned())) {
      res.status = 400;
      return Json{{"error", "body must be {\"faults\":\"SPEC\",\"seed\":N} (seed optional, >= 0)"}};
    }
    try {
      set_faults(in["faults"].get<std::string>(), in.value("seed", std::uint64_t{0}));
    } catch (const std::invalid_argument& e) {
      res.status = 400;
      return Json{{"error", e.what()}};
    }
    return Json{{"status", "ok"}};
  }

  void set_faults(const std::string& spec, std::uint64_t seed) {
    FaultSpec parsed = parse_faults(spec);
    std::lock_guard<std::mutex> lock(faults_mu);
    faults = parsed;
    fault_seed = seed;
    fault_counter = 0;
  }

  /// `POST /__emulator/apptoken-status {"id":ID,"status":1|2}`: DISABLED or ACTIVE, which the API
  /// cannot set (protocol.md I.3), so that APP_TOKEN_NOT_ACTIVE can be seen.
  Json apptoken_status_endpoint(const httplib::Request& req, httplib::Response& res) {
    const Json in = Json::parse(req.body, nullptr, false);
    const Json status = in.is_object() ? in.value("status", Json()) : Json();
    if (!in.is_object() || !in.value("id", Json()).is_string() || !status.is_number_integer() ||
        (status.get<std::int64_t>() != 1 && status.get<std::int64_t>() != 2)) {
      res.status = 400;
      return Json{{"error", "body must be {\"id\":\"TOKEN_ID\",\"status\":1 or 2}"}};
    }
    std::lock_guard<std::mutex> lock(world.mu);
    const auto it = world.state.app_tokens.find(in["id"].get<std::string>());
    if (it == world.state.app_tokens.end() || json_intval(it->second.props.value("status", Json(0))) == 3) {
      res.status = 400;
      return Json{{"error", "unknown or deleted app token"}};
    }
    it->second.props["status"] = status;
    world.dirty = true;
    return Json{{"status", "ok"}};
  }

  /// The routes and hooks both servers share.
  void configure(httplib::Server& server) {
    auto handler = [this](const httplib::Request& req, httplib::Response& res) { handle(req, res); };
    server.Get(".*", handler);
    server.Post(".*", handler);
    server.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      return pre_route(req, res);
    });
    server.set_error_handler(httplib::Server::HandlerWithResponse(
        [this](const httplib::Request&, httplib::Response& res) { return limit_answer(res); }));
    if (world.cfg.verbose) {
      server.set_logger([](const httplib::Request& req, const httplib::Response& res) {
        const std::string line =
            "kmeet-emulator: " + req.method + " " + log_path(req) + " " + std::to_string(res.status) + "\n";
        std::fwrite(line.data(), 1, line.size(), stderr);  // one write per line: threads do not interleave
      });
    }
    server.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown";
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      std::cerr << "kmeet-emulator: internal error: " << what << '\n';
      res.status = 200;
      res.set_content(php_json(ApiError("INTERNAL_SERVERL_ERROR", "Internal server error occurred").to_json()),
                      "application/json");
    });
    server.set_keep_alive_timeout(world.cfg.keep_alive_timeout);  // also what the Keep-Alive header says
    server.set_payload_max_length(world.cfg.max_body);
  }

  /// Runs before cpp-httplib reads a body. A POST with neither Content-Length nor
  /// Transfer-Encoding has an empty body (RFC 9112 6.3), e.g. `curl -X POST URL/__emulator/reset`;
  /// cpp-httplib would answer 400 before routing, so take it here.
  httplib::Server::HandlerResponse pre_route(const httplib::Request& req, httplib::Response& res) {
    if (req.method != "POST" || req.has_header("Content-Length") || req.has_header("Transfer-Encoding")) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    handle(req, res);
    return httplib::Server::HandlerResponse::Handled;
  }

  /// cpp-httplib's own refusals get a body that says which limit was hit.
  httplib::Server::HandlerResponse limit_answer(httplib::Response& res) const {
    if (body_over_cap()) {
      res.status = 413;
      res.set_content(limit_error_body("request body is over the limit of " + std::to_string(world.cfg.max_body) +
                                       " bytes (--max-body)"),
                      "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    if (res.status == 413 && res.body.empty()) {
      res.set_content(limit_error_body("request body is over the limit (--max-body; a form-encoded body: 8192 "
                                       "bytes, send JSON instead)"),
                      "application/json");
      return httplib::Server::HandlerResponse::Handled;
    }
    return httplib::Server::HandlerResponse::Unhandled;
  }

  int start_server() {
    router = std::make_unique<Router>();
    configure(*router);
    ServerLimits lim;
    lim.max_body = world.cfg.max_body;
    lim.max_connections = world.cfg.max_connections;
    lim.threads = world.cfg.threads;
    lim.keep_alive_timeout_ms = world.cfg.keep_alive_timeout * 1000;
    lim.header_timeout_ms = world.cfg.header_timeout * 1000;
    lim.tls_cert = world.cfg.tls_cert;
    lim.tls_key = world.cfg.tls_key;
    front = std::make_unique<HttpFront>(*router, lim);
    const int bound = front->bind(world.cfg.host, world.cfg.port);
    // Where clients reach this emulator: the host of the J.6 entry URLs (recordings).
    const std::string& h = world.cfg.host;
    const std::string host = h == "0.0.0.0" || h == "::" ? "127.0.0.1" : h.find(':') != std::string::npos ? "[" + h + "]" : h;
    world.public_base = (world.cfg.tls_cert.empty() ? "http://" : "https://") + host + ":" + std::to_string(bound);
    listener = std::thread([this] { front->run(); });
    return bound;
  }

};

Emulator::Emulator(Config cfg) : impl_(std::make_unique<Impl>(std::move(cfg))) {}

Emulator::~Emulator() { stop(); }

int Emulator::start() {
  Impl& m = *impl_;
  const Config& c = m.world.cfg;
  if (c.tls_cert.empty() != c.tls_key.empty()) {
    throw std::invalid_argument("--tls-cert and --tls-key go together");
  }
  m.port = m.start_server();
  m.started = true;
  m.saver = std::thread([&m] {
    std::unique_lock<std::mutex> lock(m.saver_mu);
    while (!m.stopping) {
      m.saver_cv.wait_for(lock, std::chrono::seconds(1));
      if (m.world.dirty && !m.stopping) {
        lock.unlock();
        (void)m.save();  // a failure is logged once and retried
        lock.lock();
      }
    }
  });
  return m.port;
}

void Emulator::stop() {
  Impl& m = *impl_;
  if (!m.started) {
    return;
  }
  m.started = false;
  if (m.front) m.front->stop();
  if (m.listener.joinable()) {
    m.listener.join();
  }
  {
    std::lock_guard<std::mutex> lock(m.saver_mu);
    m.stopping = true;
  }
  m.saver_cv.notify_all();
  if (m.saver.joinable()) {
    m.saver.join();
  }
  (void)m.save();
}

int Emulator::port() const { return impl_->port; }

World& Emulator::world() { return impl_->world; }

std::string Emulator::save() { return impl_->save(); }

void Emulator::set_faults(const std::string& spec, std::uint64_t seed) { impl_->set_faults(spec, seed); }

void Emulator::reset() { impl_->reset(); }

}  // namespace kmeet::emulator
