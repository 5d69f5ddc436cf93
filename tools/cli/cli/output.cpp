#include "cli/output.hpp"

#include <algorithm>
#include <ostream>
#include <set>

#include <fmt/format.h>

#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "kmeet/errors.hpp"

namespace kmeet::cli {
namespace {


bool is_time_key(std::string_view key) {
  static const std::set<std::string_view> kKeys = {
      "createdAt", "updatedAt", "startDate", "endDate", "expiresAt", "expiry", "serverTime",
      "date_start", "date_end", "start_date", "end_date", "time_joined", "time_left", "joined", "left"};
  auto dot = key.rfind('.');
  if (dot != std::string_view::npos) key = key.substr(dot + 1);
  return kKeys.count(key) != 0;
}

const Json* lookup(const Json& object, std::string_view path) {
  const Json* cur = &object;
  while (true) {
    if (!cur->is_object()) return nullptr;
    auto dot = path.find('.');
    auto part = std::string(path.substr(0, dot));
    auto it = cur->find(part);
    if (it == cur->end()) return nullptr;
    cur = &*it;
    if (dot == std::string_view::npos) return cur;
    path = path.substr(dot + 1);
  }
}

// Cuts text to `width` display columns, ending in an ellipsis when cut.
std::string cut(const std::string& text, std::size_t width) {
  if (display_width(text) <= width || width < 2) return text;
  std::string out;
  std::size_t w = 0;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 1;
    if (w + 1 >= width) break;
    out.append(text, i, len);
    ++w;
    i += len;
  }
  return out + "\u2026";
}

// Server text in a table: one printable line (newlines, ANSI/OSC escapes shown as `\n`, `\x1b`).
std::string one_line(const std::string& text) { return printable(text); }

// `-5`, `+3`, `1.5`: a number, which a spreadsheet reads as one (left as it is).
bool plain_number(std::string_view v) {
  if (!v.empty() && (v.front() == '-' || v.front() == '+')) v.remove_prefix(1);
  if (v.empty() || v.front() == '.' || v.back() == '.') return false;
  bool dot = false;
  for (char c : v) {
    if (c == '.' && !dot) {
      dot = true;
    } else if (c < '0' || c > '9') {
      return false;
    }
  }
  return true;
}

}  // namespace

Format parse_format(std::string_view text) {
  if (text == "table") return Format::table;
  if (text == "json") return Format::json;
  if (text == "csv") return Format::csv;
  throw ValidationError("--output", fmt::format("'{}' is not one of table, json, csv", text));
}

std::string csv_neutralize(std::string_view value) {
  if (value.empty() || plain_number(value)) return std::string(value);
  const char c = value.front();
  if (c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' || c == '\r') return "'" + std::string(value);
  return std::string(value);
}

std::string csv_field(std::string_view raw) {
  const std::string safe = csv_neutralize(raw);
  const std::string_view value = safe;
  bool quote = value.find_first_of(",\"\r\n") != std::string_view::npos ||
               (!value.empty() && (value.front() == ' ' || value.back() == ' ' ||
                                   value.front() == '\t' || value.back() == '\t'));
  if (!quote) return std::string(value);
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string csv_record(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i != 0) out += ',';
    out += csv_field(fields[i]);
  }
  out += "\r\n";
  return out;
}

std::string cell_text(const Json& value, std::string_view key, bool human) {
  if (value.is_null()) return {};
  if (value.is_string()) return value.get<std::string>();
  if (human && value.is_number_integer() && is_time_key(key)) {
    auto v = value.get<std::int64_t>();
    if (v > 0) return format_iso(Timestamp{std::chrono::seconds{v}});
  }
  if (value.is_boolean()) return value.get<bool>() ? "true" : "false";
  return value.dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::size_t display_width(std::string_view text) {
  std::size_t w = 0;
  for (char ch : text) {
    auto c = static_cast<unsigned char>(ch);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    if (c < 0x20 || c == 0x7F) continue;
    ++w;
  }
  return w;
}

std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows, std::size_t max_width) {
  std::vector<std::size_t> widths(headers.size(), 0);
  std::vector<std::vector<std::string>> cells;
  cells.reserve(rows.size());
  for (std::size_t c = 0; c < headers.size(); ++c) widths[c] = display_width(headers[c]);
  for (const auto& row : rows) {
    std::vector<std::string> r;
    for (std::size_t c = 0; c < headers.size(); ++c) {
      std::string v = c < row.size() ? cut(one_line(row[c]), max_width) : std::string{};
      widths[c] = std::max(widths[c], display_width(v));
      r.push_back(std::move(v));
    }
    cells.push_back(std::move(r));
  }
  auto line = [&](const std::vector<std::string>& r) {
    std::string out;
    for (std::size_t c = 0; c < r.size(); ++c) {
      out += r[c];
      if (c + 1 < r.size()) out.append(widths[c] - display_width(r[c]) + 2, ' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out + "\n";
  };
  std::string out = line(headers);
  for (const auto& r : cells) out += line(r);
  return out;
}

void print_object(std::ostream& out, Format format, const Json& object) {
  switch (format) {
    case Format::json:
      out << object.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
      return;
    case Format::csv: {
      std::vector<std::string> keys, values;
      for (const auto& [k, v] : object.items()) {
        keys.push_back(k);
        values.push_back(cell_text(v, k, false));
      }
      out << csv_record(keys) << csv_record(values);
      return;
    }
    case Format::table: {
      std::size_t w = 0;
      for (const auto& [k, v] : object.items()) w = std::max(w, display_width(k));
      for (const auto& [k, v] : object.items()) {
        std::string text = v.is_object() || v.is_array() ? v.dump() : cell_text(v, k, true);
        std::string line = k + std::string(w - display_width(k) + 2, ' ') + one_line(text);
        while (!line.empty() && line.back() == ' ') line.pop_back();
        out << line << '\n';
      }
      return;
    }
  }
}

void print_list(std::ostream& out, Format format, const Json& array, const std::vector<Column>& columns) {
  if (format == Format::json) {
    out << array.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
    return;
  }
  std::vector<Column> cols = columns;
  if (cols.empty() && !array.empty() && array.front().is_object()) {
    for (const auto& [k, v] : array.front().items()) cols.push_back({k, k});
  }
  std::vector<std::string> headers;
  for (const auto& c : cols) headers.push_back(format == Format::csv ? c.key : c.header);
  std::vector<std::vector<std::string>> rows;
  for (const auto& item : array) {
    std::vector<std::string> row;
    for (const auto& c : cols) {
      const Json* v = lookup(item, c.key);
      row.push_back(v ? cell_text(*v, c.key, format == Format::table) : std::string{});
    }
    rows.push_back(std::move(row));
  }
  if (format == Format::csv) {
    out << csv_record(headers);
    for (const auto& r : rows) out << csv_record(r);
    return;
  }
  out << render_table(headers, rows);
}

}  // namespace kmeet::cli
