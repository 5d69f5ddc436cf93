#pragma once
// Options and handlers of every `kmeet` subcommand. Handlers return an exit status and throw
// kmeet errors, which `run` turns into one line on stderr.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "cli/context.hpp"

namespace kmeet::cli {

struct RoomOpts {
  std::int64_t id = 0;
  std::optional<std::string> name, description, system_name;
  std::vector<std::string> set;
  bool clear_description = false;
  // list
  bool all = false;
  int page_size = 100;
  int page = 1;
  std::optional<std::string> filter_name, filter_system_name;
  bool deleted = false;
};

struct EventOpts {
  std::int64_t id = 0;
  std::int64_t room = 0;
  std::optional<std::string> summary, description, start, end, reference_id;
  std::vector<std::string> set;
  bool clear_description = false;
  bool allow_long = false;
  bool record = false;  ///< create: make the session's recording template (MeetingSpec::record)
  // list
  std::optional<std::string> from, to, status, filter_reference_id;
  bool all = false;
  int page_size = 100;
  int page = 1;
};

struct LinkOpts {
  std::int64_t event = 0;
  std::int64_t room = 0;
  bool all = false;
  int page_size = 100;
};

struct JoinOpts {
  std::int64_t event = 0;
  std::int64_t room = 0;
  std::string user;
  std::string role = "attendee";
  std::string first_name, last_name, email;
  std::string ttl = "2h";
  bool iframe = false;
  bool via_api = false;
};

struct KsMintOpts {
  std::string type = "user";
  std::string user;
  std::string ttl = "24h";
  bool v1 = false;
  std::optional<std::string> role, contextual_role, first_name, last_name, email, api;
  std::int64_t event = 0;
  std::int64_t room = 0;
  std::vector<std::string> privileges;
};

struct KsInspectOpts {
  std::string ks;
  std::optional<std::string> secret_env;
};

struct SessionOpts {
  std::string type = "user";
  std::string user;
  std::string ttl = "24h";
  std::string privileges;
  std::string ks;
};

struct ImportOpts {
  std::string file;
  int concurrency = 4;
  int batch = 20;
  std::optional<std::string> results;
  std::string moderator_user = "kmeet-moderator";
  bool dry_run = false;
  bool strict = false;  ///< any invalid row: exit 2, nothing sent
};

int room_create(Ctx&, const RoomOpts&);
int room_list(Ctx&, const RoomOpts&);
int room_get(Ctx&, const RoomOpts&);
int room_update(Ctx&, const RoomOpts&);
int room_delete(Ctx&, const RoomOpts&);

int event_create(Ctx&, const EventOpts&);
int event_list(Ctx&, const EventOpts&);
int event_get(Ctx&, const EventOpts&);
int event_update(Ctx&, const EventOpts&);
int event_cancel(Ctx&, const EventOpts&);
int event_delete(Ctx&, const EventOpts&);

int link_list(Ctx&, const LinkOpts&);
int link_add(Ctx&, const LinkOpts&);
int link_delete(Ctx&, const LinkOpts&);

int join(Ctx&, const JoinOpts&);
int ks_mint(Ctx&, const KsMintOpts&);
int ks_inspect(Ctx&, const KsInspectOpts&);

int session_start(Ctx&, const SessionOpts&);
int session_end(Ctx&, const SessionOpts&);
int session_get(Ctx&, const SessionOpts&);
int session_time(Ctx&);

/// `kmeet analytics sessions|attendees`.
struct AnalyticsOpts {
  std::int64_t room = 0;
  std::int64_t event = 0;
  std::int64_t session = 0;
  std::optional<std::string> from;
  std::optional<std::string> to;
  /// Most pages one listing fetches (Analytics::max_pages).
  std::int64_t max_pages = 1000;
};
int analytics_sessions(Ctx&, const AnalyticsOpts&);
int analytics_attendees(Ctx&, const AnalyticsOpts&);

int import_csv(Ctx&, const ImportOpts&);

/// `kmeet doctor [--launch]`.
struct DoctorOpts {
  bool launch = false;  ///< enter the newest real room as moderator `kmeet-doctor` (records a join)
};
int doctor(Ctx&, const DoctorOpts&);

}  // namespace kmeet::cli
