// kmeet_example_embed: the guide's "embed the room in your page with an iFrame", as a web app.
//
//   KALTURA_PARTNER_ID=... KALTURA_ADMIN_SECRET=... kmeet_example_embed [--port N] [--host ADDR]
//
// GET /                 a form: user, role, event or room
// GET /meeting?user=U&role=attendee|moderator&event=ID|room=ID[&first_name=F&last_name=L]
//                       a page with the iframe snippet for a fresh join link (a new KS per load)
// GET /healthz          "ok"
//
// Prints `listening PORT` once it accepts connections (`--port 0` picks a free port). In a real
// application the user id and role come from your own login, never from the query string: anyone
// who can load /meeting here can join as anyone. The KS is only ever written into the iframe src.
#include <httplib.h>

#include <cstdlib>
#include <iostream>
#include <string>
#include <string_view>

#include <kmeet/client.hpp>
#include <kmeet/errors.hpp>
#include <kmeet/urls.hpp>

namespace {

std::string page(std::string_view title, std::string_view body) {
  return "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>" + kmeet::html_escape(title) +
         "</title>\n<style>body{font-family:sans-serif;margin:16px}"
         "header{display:flex;gap:12px;align-items:baseline}"
         "iframe{border:1px solid #bbb;border-radius:6px}</style></head>\n<body>\n" +
         std::string(body) + "\n</body></html>\n";
}

constexpr std::string_view kForm = R"(<h1>Join a Kaltura meeting</h1>
<form action="/meeting" method="get">
  <p><label>User id <input name="user" required></label></p>
  <p><label>First name <input name="first_name"></label> <label>Last name <input name="last_name"></label></p>
  <p><label>Role <select name="role"><option>attendee</option><option>moderator</option></select></label></p>
  <p><label>Event id <input name="event"></label> or <label>room id <input name="room"></label></p>
  <p><button type="submit">Join</button></p>
</form>)";

/// Reads a positive id from a query parameter; ValidationError naming the parameter otherwise.
std::int64_t parse_id(const std::string& name, const std::string& text) {
  std::size_t used = 0;
  std::int64_t id = 0;
  try {
    id = std::stoll(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (used != text.size() || id <= 0) {
    throw kmeet::ValidationError(name, "must be a positive integer");
  }
  return id;
}

void serve_meeting(const kmeet::Client& client, const httplib::Request& req, httplib::Response& res) {
  try {
    kmeet::JoinRequest join;
    join.user_id = req.get_param_value("user");
    const std::string role = req.has_param("role") ? req.get_param_value("role") : "attendee";
    if (role == "moderator") {
      join.role = kmeet::Role::moderator;
    } else if (role == "attendee") {
      join.role = kmeet::Role::attendee;
    } else {
      throw kmeet::ValidationError("role", "must be attendee or moderator");
    }
    const std::string event = req.get_param_value("event");
    const std::string room = req.get_param_value("room");
    if (!event.empty()) join.event = kmeet::EventId(parse_id("event", event));
    if (!room.empty()) join.room = kmeet::RoomId(parse_id("room", room));
    join.first_name = req.get_param_value("first_name");
    join.last_name = req.get_param_value("last_name");

    const kmeet::JoinLink link = client.join(join);  // validates everything, mints a fresh KS
    kmeet::IframeOptions frame;
    frame.width = "1100px";
    frame.height = "700px";
    frame.id = "meeting";
    const std::string body = "<header><h1>Meeting</h1><p id=\"who\">" + kmeet::html_escape(join.user_id) +
                             " as <span id=\"role\">" + role + "</span></p></header>\n" +
                             kmeet::iframe_html(link.url, frame);
    res.set_header("Cache-Control", "no-store");  // the page holds a personal KS
    res.set_header("Referrer-Policy", "no-referrer");
    res.set_content(page("Kaltura meeting", body), "text/html; charset=utf-8");
  } catch (const kmeet::ValidationError& e) {
    res.status = 400;
    res.set_content(page("Cannot join", "<h1>Cannot join</h1><p id=\"error\">" + kmeet::html_escape(e.what()) + "</p>"),
                    "text/html; charset=utf-8");
  } catch (const kmeet::Error& e) {
    res.status = 502;
    res.set_content(page("Cannot join", "<h1>Cannot join</h1><p id=\"error\">" + kmeet::html_escape(e.what()) + "</p>"),
                    "text/html; charset=utf-8");
  }
}

}  // namespace

int main(int argc, char** argv) {
  int port = 8080;
  std::string host = "127.0.0.1";
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--port" || arg == "--host") && i + 1 < argc) {
      const std::string value = argv[++i];
      if (arg == "--host") {
        host = value;
      } else {
        port = std::atoi(value.c_str());
      }
    } else {
      std::cerr << "usage: kmeet_example_embed [--port N] [--host ADDR]   (config from KALTURA_* env)\n";
      return 2;
    }
  }
  try {
    const kmeet::Client client = kmeet::Client::from_env();
    httplib::Server server;
    server.Get("/", [](const httplib::Request&, httplib::Response& res) {
      res.set_content(page("Join a Kaltura meeting", kForm), "text/html; charset=utf-8");
    });
    server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("ok\n", "text/plain");
    });
    server.Get("/meeting", [&client](const httplib::Request& req, httplib::Response& res) {
      serve_meeting(client, req, res);
    });
    const int bound = port == 0 ? server.bind_to_any_port(host) : (server.bind_to_port(host, port) ? port : -1);
    if (bound < 0) {
      std::cerr << "kmeet_example_embed: cannot listen on " << host << ':' << port << '\n';
      return 1;
    }
    std::cout << "listening " << bound << std::endl;
    server.listen_after_bind();
  } catch (const kmeet::Error& e) {
    std::cerr << "kmeet_example_embed: " << e.what() << '\n';
    return 1;
  }
  return 0;
}
