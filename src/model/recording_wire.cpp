#include "model/recording_wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>

#include "core/encoding.hpp"
#include "core/redact.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "model/validate.hpp"

namespace kmeet {

// ---- KalturaEntryStatus (protocol.md J.5) --------------------------------------------------------

namespace {

struct StatusInfo {
  EntryStatus status;
  std::string_view wire;
  std::string_view name;
};

constexpr StatusInfo kStatuses[] = {
    {EntryStatus::error_importing, "-2", "ERROR_IMPORTING"},
    {EntryStatus::error_converting, "-1", "ERROR_CONVERTING"},
    {EntryStatus::import, "0", "IMPORT"},
    {EntryStatus::preconvert, "1", "PRECONVERT"},
    {EntryStatus::ready, "2", "READY"},
    {EntryStatus::deleted, "3", "DELETED"},
    {EntryStatus::pending, "4", "PENDING"},
    {EntryStatus::moderate, "5", "MODERATE"},
    {EntryStatus::blocked, "6", "BLOCKED"},
    {EntryStatus::no_content, "7", "NO_CONTENT"},
    {EntryStatus::infected, "virusScan.Infected", "INFECTED"},
    {EntryStatus::scan_failure, "virusScan.ScanFailure", "SCAN_FAILURE"},
};

const StatusInfo* info_of(EntryStatus s) {
  const auto* it = std::find_if(std::begin(kStatuses), std::end(kStatuses),
                                [&](const StatusInfo& i) { return i.status == s; });
  return it == std::end(kStatuses) ? nullptr : it;
}

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view to_string(EntryStatus status) {
  const StatusInfo* i = info_of(status);
  return i == nullptr ? std::string_view("UNKNOWN") : i->name;
}

std::string_view wire_value(EntryStatus status) {
  const StatusInfo* i = info_of(status);
  return i == nullptr ? std::string_view() : i->wire;
}

EntryStatus parse_entry_status(std::string_view wire) {
  for (const StatusInfo& i : kStatuses) {
    if (i.wire == wire) return i.status;
  }
  return EntryStatus::unknown;
}

std::optional<EntryStatus> parse_entry_status_name(std::string_view text) {
  for (const StatusInfo& i : kStatuses) {
    if (i.wire == text || iequal(i.name, text)) return i.status;
  }
  return std::nullopt;
}

bool is_failure(EntryStatus status) {
  switch (status) {
    case EntryStatus::error_importing:
    case EntryStatus::error_converting:
    case EntryStatus::deleted:
    case EntryStatus::blocked:
    case EntryStatus::infected:
    case EntryStatus::scan_failure: return true;
    default: return false;
  }
}

namespace detail {
namespace {

constexpr std::string_view kWhat = "KalturaMediaEntry";

// ---- decoding (the same rules as model/wire.cpp: numbers may come as numeric strings) ------------

[[noreturn]] void bad_field(std::string_view key, const Json& v) {
  throw ProtocolError(
      fmt::format("{}: field '{}' has an unexpected value {}", kWhat, key, safe_snippet(v.dump(), 80)));
}

const Json* field(const Json& o, const char* key) {
  auto it = o.find(key);
  if (it == o.end() || it->is_null()) return nullptr;
  return &*it;
}

std::optional<std::int64_t> get_int(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_number_integer()) return v->get<std::int64_t>();
  if (v->is_number_float()) {
    const double d = v->get<double>();
    if (std::trunc(d) == d && std::abs(d) < 9.0e15) return static_cast<std::int64_t>(d);
  }
  if (v->is_string()) {
    const auto& s = v->get_ref<const std::string&>();
    if (s.empty()) return std::nullopt;
    std::size_t pos = 0;
    try {
      const std::int64_t n = std::stoll(s, &pos);
      if (pos == s.size()) return n;
    } catch (const std::exception&) {  // NOLINT(bugprone-empty-catch): reported below
    }
  }
  bad_field(key, *v);
}

std::optional<std::string> get_str(const Json& o, const char* key) {
  const Json* v = field(o, key);
  if (v == nullptr) return std::nullopt;
  if (v->is_string()) return v->get<std::string>();
  if (v->is_number()) return v->dump();
  bad_field(key, *v);
}

std::optional<Timestamp> get_time(const Json& o, const char* key) {
  auto n = get_int(o, key);
  if (!n) return std::nullopt;
  return Timestamp(std::chrono::seconds(*n));
}

/// `status`: a JSON number (what the server emits for core values), a numeric string (what the
/// clients' string enum holds) or a plugin value such as `virusScan.Infected` (J.5).
void read_status(const Json& v, Recording& r) {
  const Json* s = field(v, "status");
  if (s == nullptr) return;
  if (s->is_number_integer()) {
    r.status_text = std::to_string(s->get<std::int64_t>());
  } else if (s->is_string()) {
    r.status_text = s->get<std::string>();
    // " 2" or "+2" are not what a server sends; only the exact spellings are typed.
  } else {
    bad_field("status", *s);
  }
  r.status = parse_entry_status(r.status_text);
}

template <class T>
void put(WireJson& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}

constexpr std::string_view kOrders[] = {"+createdAt", "-createdAt", "+updatedAt",
                                        "-updatedAt", "+name",      "-name"};

bool is_entry_id_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_'; }

void check_text(const std::optional<std::string>& value, const std::string& field, bool non_empty) {
  if (!value) return;
  if (non_empty && value->empty())
    throw ValidationError(field, "must not be empty (leave it unset for the default)");
  if (std::any_of(value->begin(), value->end(), [](char c) {
        const auto u = static_cast<unsigned char>(c);
        return (u < 0x20 && c != '\n' && c != '\r' && c != '\t') || u == 0x7f;
      })) {
    throw ValidationError(field, "must not contain control characters");
  }
  if (const auto at = invalid_utf8_at(*value); at != std::string_view::npos) {
    throw ValidationError(field, fmt::format("must be valid UTF-8 (bad byte at offset {})", at));
  }
}

}  // namespace

WireJson template_to_wire(const RecordingTemplate& t) {
  WireJson o = WireJson::object();
  o["objectType"] = kMediaEntryType;
  put(o, "name", t.name);
  put(o, "description", t.description);
  o["mediaType"] = kMediaTypeVideo;
  put(o, "userId", t.owner_id);
  put(o, "tags", t.tags);
  put(o, "categoriesIds", t.category_ids);
  put(o, "referenceId", t.reference_id);
  return o;
}

std::string status_list(const std::vector<EntryStatus>& statuses) {
  std::string out;
  for (EntryStatus s : statuses) {
    if (!out.empty()) out += ',';
    out += wire_value(s);
  }
  return out;
}

WireJson to_wire(const RecordingFilter& f) {
  WireJson o = WireJson::object();
  o["objectType"] = kMediaFilterType;
  put(o, "referenceIdEqual", f.reference_id);
  put(o, "rootEntryIdEqual", f.root_entry_id);
  if (!f.root_entry_id_in.empty()) {
    std::string in;
    for (const auto& id : f.root_entry_id_in) in += (in.empty() ? "" : ",") + id;
    o["rootEntryIdIn"] = in;
  }
  if (f.status) o["statusEqual"] = std::string(wire_value(*f.status));
  if (!f.status_in.empty()) o["statusIn"] = status_list(f.status_in);
  if (f.created_at_gte) o["createdAtGreaterThanOrEqual"] = f.created_at_gte->time_since_epoch().count();
  if (f.created_at_lte) o["createdAtLessThanOrEqual"] = f.created_at_lte->time_since_epoch().count();
  if (f.order_by) o["orderBy"] = kOrders[static_cast<std::size_t>(*f.order_by)];
  return o;
}

Recording recording_from_wire(const Json& v) {
  if (!v.is_object()) {
    throw ProtocolError(fmt::format("expected a {} object, got {}", kWhat, safe_snippet(v.dump(), 80)));
  }
  Recording r;
  r.id = get_str(v, "id").value_or("");
  if (r.id.empty()) throw ProtocolError(fmt::format("{}: the entry has no id", kWhat));
  r.name = get_str(v, "name").value_or("");
  r.description = get_str(v, "description");
  read_status(v, r);
  if (auto d = get_int(v, "duration")) r.duration = std::chrono::seconds(*d);
  if (auto d = get_int(v, "msDuration")) r.ms_duration = std::chrono::milliseconds(*d);
  r.created_at = get_time(v, "createdAt");
  r.updated_at = get_time(v, "updatedAt");
  r.owner_id = get_str(v, "userId");
  r.creator_id = get_str(v, "creatorId");
  if (auto p = get_int(v, "partnerId")) r.partner_id = PartnerId(*p);
  r.root_entry_id = get_str(v, "rootEntryId").value_or("");
  r.reference_id = get_str(v, "referenceId");
  r.tags = get_str(v, "tags");
  r.categories = get_str(v, "categories");
  r.categories_ids = get_str(v, "categoriesIds");
  if (auto m = get_int(v, "mediaType")) {
    if (*m < std::numeric_limits<int>::min() || *m > std::numeric_limits<int>::max())
      bad_field("mediaType", v["mediaType"]);
    r.media_type = static_cast<int>(*m);
  }
  r.flavor_params_ids = get_str(v, "flavorParamsIds");
  r.data_url = get_str(v, "dataUrl").value_or("");
  r.download_url = get_str(v, "downloadUrl").value_or("");
  r.thumbnail_url = get_str(v, "thumbnailUrl").value_or("");
  r.object_type = get_str(v, "objectType").value_or("");
  return r;
}

Page<Recording> recording_page_from_wire(const Json& v) {
  if (!v.is_object()) {
    throw ProtocolError(
        fmt::format("expected a KalturaMediaListResponse object, got {}", safe_snippet(v.dump(), 80)));
  }
  Page<Recording> page;
  const Json* objects = field(v, "objects");
  if (objects != nullptr && !objects->is_array()) {
    throw ProtocolError("KalturaMediaListResponse: 'objects' is not an array");
  }
  if (objects != nullptr) {
    for (const Json& o : *objects) page.items.push_back(recording_from_wire(o));
  }
  page.total_count = get_int(v, "totalCount").value_or(0);
  return page;
}

void validate_entry_id(std::string_view id, std::string_view field) {
  if (id.empty()) throw ValidationError(std::string(field), "must not be empty");
  if (id.size() > 64)
    throw ValidationError(std::string(field), fmt::format("is {} characters long (at most 64)", id.size()));
  if (!std::all_of(id.begin(), id.end(), is_entry_id_char)) {
    throw ValidationError(
        std::string(field),
        fmt::format("'{}' is not an entry id (letters, digits and '_' only, e.g. 1_9vga7lbm)", one_line(id)));
  }
}

void validate(const RecordingTemplate& t, std::string_view prefix) {
  const auto f = [&](std::string_view m) { return fmt::format("{}.{}", prefix, m); };
  check_text(t.name, f("name"), true);
  check_text(t.description, f("description"), false);
  check_text(t.tags, f("tags"), false);
  if (t.owner_id) validate_user_id(*t.owner_id, f("owner_id"));
  check_text(t.reference_id, f("reference_id"), true);
  if (t.reference_id && t.reference_id->size() < 2) {
    throw ValidationError(f("reference_id"),
                          "must be at least 2 characters (the server's minimum, protocol.md J.3)");
  }
  if (t.category_ids) {
    const std::string& c = *t.category_ids;
    if (c.empty())
      throw ValidationError(f("category_ids"), "must not be empty (leave it unset for the default)");
    bool digit_seen = false;
    for (std::size_t i = 0; i < c.size(); ++i) {
      const bool digit = std::isdigit(static_cast<unsigned char>(c[i])) != 0;
      if (!digit && !(c[i] == ',' && digit_seen && i + 1 < c.size())) {
        throw ValidationError(
            f("category_ids"),
            fmt::format("'{}' is not a comma-separated list of category ids (e.g. 123,456)", one_line(c)));
      }
      digit_seen = digit;
    }
  }
}

void validate(const RecordingFilter& x, std::string_view prefix) {
  const auto f = [&](std::string_view m) { return fmt::format("{}.{}", prefix, m); };
  if (x.root_entry_id) validate_entry_id(*x.root_entry_id, f("root_entry_id"));
  if (x.root_entry_id_in.size() > static_cast<std::size_t>(kMaxPageSize)) {
    throw ValidationError(f("root_entry_id_in"),
                          fmt::format("at most {} ids (got {})", kMaxPageSize, x.root_entry_id_in.size()));
  }
  for (const auto& id : x.root_entry_id_in) validate_entry_id(id, f("root_entry_id_in"));
  check_text(x.reference_id, f("reference_id"), true);
  for (EntryStatus s : x.status_in) {
    if (s == EntryStatus::unknown)
      throw ValidationError(f("status_in"), "unknown is not a status that can be sent");
  }
  if (x.status && *x.status == EntryStatus::unknown) {
    throw ValidationError(f("status"), "unknown is not a status that can be sent");
  }
  if (x.created_at_gte) validate_time(*x.created_at_gte, f("created_at_gte"));
  if (x.created_at_lte) validate_time(*x.created_at_lte, f("created_at_lte"));
}

}  // namespace detail
}  // namespace kmeet
