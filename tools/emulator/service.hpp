#pragma once
// What the api_v3 service handlers share (docs/protocol.md B, D, E): the errors, parameter access,
// list filters, pager and order, and `Call`, one call's context. Each service's actions are
// `Call` members defined in its own file: session.cpp, resources.cpp, events.cpp, links.cpp,
// apptoken.cpp.

#include <algorithm>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common.hpp"
#include "model.hpp"
#include "server_ks.hpp"
#include "world.hpp"

namespace kmeet::emulator {

constexpr std::int64_t kMaxScheduleEventDuration = 2 * 365 * 86400;  // 2 years (E.1)
constexpr std::int64_t kMeetingMaxSingleDuration = 3 * 86400;
constexpr std::int64_t kMaxPageSize = 500;
constexpr std::int64_t kDefaultPageSize = 30;
constexpr std::size_t kMaxLength = 256;

using Args = std::vector<std::pair<std::string, std::string>>;

// ---- errors -------------------------------------------------------------------------------

ApiError invalid_object_id(const std::string& id);
ApiError missing_parameter(const std::string& name);
ApiError cannot_be_null(const std::string& cls, const std::string& prop);
ApiError not_updatable(const std::string& cls, const std::string& prop);
ApiError service_forbidden(const std::string& service, const std::string& action);
ApiError missing_ks();
ApiError start_session_error(const std::string& pid);
ApiError invalid_ks(const KsCheck& c);

// Server-side KS v2 generation sets `_m` (master partner id) and `_d` (additional data) after the
// privileges, to null, and http_build_query drops nulls: a `_m`/`_d` privilege never survives (F.3,
// F.6). The items are split as generateKsV2 splits them: on ',', trimmed, key before the first ':'.
// (KS v1 keeps the privilege text verbatim; `_m:` inside it is not the positional master partner id.)
std::string without_master_fields(const std::string& privileges);

// ---- validation ---------------------------------------------------------------------------

/// `value` must be 1..kMaxLength characters (PROPERTY_VALIDATION_MIN_LENGTH / _MAX_LENGTH).
void check_length(const std::string& cls, const std::string& prop, const std::string& value);
/// min <= v (<= max when given) (PROPERTY_VALIDATION_MIN_VALUE / _MAX_VALUE).
void check_range(const std::string& cls, const std::string& prop, std::int64_t v, std::int64_t min,
                 std::optional<std::int64_t> max);

/// validateForInsert: any read-only property that was sent is refused.
void check_read_only_on_insert(const Built& b);

/// validateForUpdate: read-only and insert-only properties only fail when they differ.
void check_not_updatable_on_update(const Built& b, const Json& stored);

// ---- parameters ---------------------------------------------------------------------------

const Json* find_param(const Json& params, const std::string& name);
std::string str_param(const Json& params, const std::string& name, const std::string& def = {});
std::int64_t int_param(const Json& params, const std::string& name);
const Json& object_param(const Json& params, const std::string& name);
/// A `KalturaSessionType` parameter (0 or 2; `true`/`false` as PHP casts them), nullopt when
/// absent; anything else is INVALID_ENUM_VALUE naming `name`.
std::optional<std::int64_t> session_type_param(const Json& params, const std::string& name);

// ---- server-issued sessions -----------------------------------------------------------------

/// A KS the server issues itself (widget and app-token sessions): signed with the first admin
/// secret in the partner's KS version (`--ks-version`), random bytes from `w.random`; a v1 KS
/// takes `now` plus the real clock's microseconds as its rand (PHP microtime).
std::string issue_server_ks(World& w, const ServerKs& ks, std::int64_t now);

/// api_v3 decodes an action's parameters before it checks the KS's validity and the permission
/// (protocol.md I.7): MISSING_MANDATORY_PARAMETER, INVALID_ENUM_VALUE, OBJECT_TYPE_ABSTRACT come
/// first. Done for `apptoken.*` (apptoken.cpp); throws the first such error.
void decode_apptoken_args(const std::string& action, const Json& params, std::int64_t now);

// ---- filters ------------------------------------------------------------------------------

enum class Op { Eq, In, NotIn, Gte, Lte, Like, MLikeOr, MLikeAnd };
enum class VType { Int, String, Time };

struct FilterField {
  VType type;
  std::set<Op> ops;
};

using FieldTable = std::map<std::string, FilterField>;
using Getter = std::function<std::optional<Json>(const std::string& prop)>;

struct Condition {
  std::string prop;
  Op op;
  VType type;
  Json value;  // int, string, or array of them
};
const std::vector<std::pair<std::string, Op>>& suffixes();
std::vector<Condition> parse_filter(const Json* filter, const FieldTable& table, std::int64_t now);
bool matches(const Condition& c, const Getter& get);

struct Pager {
  std::int64_t size = kDefaultPageSize;
  std::int64_t index = 1;
};
Pager parse_pager(const Json& params);

/// Sorts by a comma list of `+field`/`-field` among `sortable`; unknown fields are ignored.
template <class T>
void apply_order(std::vector<T>& items, const std::string& order_by, const std::set<std::string>& sortable,
                 const std::function<Json(const T&, const std::string&)>& get) {
  std::vector<std::pair<std::string, bool>> keys;
  for (const auto& part : split(order_by, ',')) {
    const std::string t = trim(part);
    if (t.size() < 2 || (t[0] != '+' && t[0] != '-')) {
      continue;
    }
    const std::string f = t.substr(1);
    if (sortable.count(f) != 0) {
      keys.emplace_back(f, t[0] == '+');
    }
  }
  if (keys.empty()) {
    return;
  }
  std::stable_sort(items.begin(), items.end(), [&](const T& a, const T& b) {
    for (const auto& [f, asc] : keys) {
      const Json va = get(a, f);
      const Json vb = get(b, f);
      if (va == vb) {
        continue;
      }
      if (va.is_null()) {
        return asc;
      }
      if (vb.is_null()) {
        return !asc;
      }
      return asc ? va < vb : vb < va;
    }
    return false;
  });
}

Json list_response(const char* type, Json objects, std::int64_t total);

/// totalCount as resources and event-resources report it: estimated from a partial page.
std::int64_t estimated_total(const Pager& p, std::int64_t page_count, std::int64_t total);

// ---- one call -----------------------------------------------------------------------------

/// One api_v3 call: the world, its parameters and (when one came) the validated KS. Called with
/// `w.mu` held.
struct Call {
  World& w;
  State& st;
  const Json& params;
  std::int64_t now;
  std::string service;
  std::string action;
  std::optional<KsCheck> ks;  // set when a valid KS came with the call
  std::string ks_str;

  [[nodiscard]] std::string ks_user() const { return ks ? ks->info.user_id : std::string(); }

  // -- resources
  StoredObject& active_resource(std::int64_t id);
  bool resource_exists(std::int64_t id) const;
  void check_system_name(const std::string& cls, const std::string& name, std::int64_t self);
  void check_parent(const Json& props);
  Json resource_add();
  Json resource_get();
  Json resource_update();
  Json resource_delete();
  Json resource_list();

  // -- events
  StoredObject& active_event(std::int64_t id);
  bool event_exists(std::int64_t id) const;

  /// KalturaScheduleEvent::validateDates + the duration limits, on the merged properties.
  void validate_event(const std::string& cls, Json& props, std::int64_t self_id);
  /// `linkedTo`: the start follows the linked event's end plus the offset (E.1).
  void resolve_linked_to(const std::string& cls, Json& props, std::int64_t self_id);
  /// Single events of one template entry must not overlap (SCHEDULE_TIME_IN_USE, J.2).
  void check_template_overlap(const Json& props, std::int64_t self_id, std::int64_t start, std::int64_t end);
  Json event_add();
  Json event_get();
  Json event_update();
  Json event_set_status(int status);

  Json event_list();

  // -- event resources
  static Json link_json(const Link& l, std::int64_t partner);
  Link& find_link(std::int64_t e, std::int64_t r);
  Json link_add();
  Json link_get();
  Json link_update();
  Json link_delete();
  Json link_list();

  // -- session
  Json session_start();
  Json session_end();
  Json session_get();
  Json session_start_widget();

  // -- apptoken (docs/protocol.md I)
  Json apptoken_add();
  Json apptoken_get();
  Json apptoken_update();
  Json apptoken_delete();
  Json apptoken_list();
  Json apptoken_start_session();
};

}  // namespace kmeet::emulator
