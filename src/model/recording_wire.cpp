#include "model/recording_wire.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <limits>

#include "api/wire_read.hpp"
#include "core/encoding.hpp"
#include "core/redact.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/privileges.hpp"
#include "model/filter_fields.hpp"
#include "model/validate.hpp"

namespace kmeet {

// ---- KalturaEntryStatus (protocol.md J.5) --------------------------------------------------------

namespace {

// The names of J.5, by EntryStatus (the wire values are detail::kEntryStatuses, in the same order).
constexpr std::array<std::string_view, detail::kEntryStatuses.size()> kStatusNames = {
    "ERROR_IMPORTING", "ERROR_CONVERTING", "IMPORT",   "PRECONVERT", "READY",    "DELETED",
    "PENDING",         "MODERATE",         "BLOCKED",  "NO_CONTENT", "INFECTED", "SCAN_FAILURE"};

bool iequal(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

std::string_view to_string(EntryStatus status) noexcept {
  if (status == EntryStatus::unknown) return "UNKNOWN";
  const auto i = static_cast<std::size_t>(status);
  return i < kStatusNames.size() ? kStatusNames[i] : std::string_view();
}

std::string_view wire_value(EntryStatus status) {
  const auto i = static_cast<std::size_t>(status);
  return i < detail::kEntryStatuses.size() ? detail::kEntryStatuses[i] : std::string_view();
}

EntryStatus parse_entry_status(std::string_view wire) {
  for (std::size_t i = 0; i < detail::kEntryStatuses.size(); ++i) {
    if (detail::kEntryStatuses[i] == wire) return static_cast<EntryStatus>(i);
  }
  return EntryStatus::unknown;
}

std::optional<EntryStatus> parse_entry_status_name(std::string_view text) {
  for (std::size_t i = 0; i < kStatusNames.size(); ++i) {
    if (detail::kEntryStatuses[i] == text || iequal(kStatusNames[i], text)) return static_cast<EntryStatus>(i);
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

// ---- decoding (api/wire_read.hpp, the model's rule: numbers may come as strings, "" is absent) ------

/// `status`: a JSON number (what the server emits for core values), a numeric string (what the
/// clients' string enum holds) or a plugin value such as `virusScan.Infected` (J.5).
void read_status(const Json& v, Recording& r) {
  const Json* s = wire_read::field(v, "status");
  if (s == nullptr) return;
  if (s->is_number_integer()) {
    r.status_text = std::to_string(s->get<std::int64_t>());
  } else if (s->is_string()) {
    r.status_text = s->get<std::string>();
    // " 2" or "+2" are not what a server sends; only the exact spellings are typed.
  } else {
    wire_read::bad(kWhat, "status", *s);
  }
  r.status = parse_entry_status(r.status_text);
}

template <class T>
void put(WireJson& o, const char* key, const std::optional<T>& v) {
  if (v) o[key] = *v;
}

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

Recording recording_from_wire(const Json& v) {
  if (!v.is_object()) {
    throw ProtocolError(fmt::format("expected a {} object, got {}", kWhat, safe_snippet(v.dump(), 80)));
  }
  Recording r;
  r.id = wire_read::text(v, "id", kWhat).value_or("");
  if (r.id.empty()) throw ProtocolError(fmt::format("{}: the entry has no id", kWhat));
  r.name = wire_read::text(v, "name", kWhat).value_or("");
  r.description = wire_read::text(v, "description", kWhat);
  read_status(v, r);
  if (auto d = wire_read::integer_or_empty(v, "duration", kWhat)) r.duration = std::chrono::seconds(*d);
  if (auto d = wire_read::integer_or_empty(v, "msDuration", kWhat)) r.ms_duration = std::chrono::milliseconds(*d);
  r.created_at = wire_read::time_or_empty(v, "createdAt", kWhat);
  r.updated_at = wire_read::time_or_empty(v, "updatedAt", kWhat);
  r.owner_id = wire_read::text(v, "userId", kWhat);
  r.creator_id = wire_read::text(v, "creatorId", kWhat);
  if (auto p = wire_read::integer_or_empty(v, "partnerId", kWhat)) r.partner_id = PartnerId(*p);
  r.root_entry_id = wire_read::text(v, "rootEntryId", kWhat).value_or("");
  r.reference_id = wire_read::text(v, "referenceId", kWhat);
  r.tags = wire_read::text(v, "tags", kWhat);
  r.categories = wire_read::text(v, "categories", kWhat);
  r.categories_ids = wire_read::text(v, "categoriesIds", kWhat);
  if (auto m = wire_read::integer_or_empty(v, "mediaType", kWhat)) {
    if (*m < std::numeric_limits<int>::min() || *m > std::numeric_limits<int>::max())
      wire_read::bad(kWhat, "mediaType", v["mediaType"]);
    r.media_type = static_cast<int>(*m);
  }
  r.flavor_params_ids = wire_read::text(v, "flavorParamsIds", kWhat);
  r.data_url = wire_read::text(v, "dataUrl", kWhat).value_or("");
  r.download_url = wire_read::text(v, "downloadUrl", kWhat).value_or("");
  r.thumbnail_url = wire_read::text(v, "thumbnailUrl", kWhat).value_or("");
  r.object_type = wire_read::text(v, "objectType", kWhat).value_or("");
  return r;
}

Page<Recording> recording_page_from_wire(const Json& v) {
  if (!v.is_object()) {
    throw ProtocolError(
        fmt::format("expected a KalturaMediaListResponse object, got {}", safe_snippet(v.dump(), 80)));
  }
  Page<Recording> page;
  const Json* objects = wire_read::field(v, "objects");
  if (objects != nullptr && !objects->is_array()) {
    throw ProtocolError("KalturaMediaListResponse: 'objects' is not an array");
  }
  if (objects != nullptr) {
    for (const Json& o : *objects) page.items.push_back(recording_from_wire(o));
  }
  page.total_count = wire_read::integer_or_empty(v, "totalCount", kWhat).value_or(0);
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

}  // namespace detail
}  // namespace kmeet
