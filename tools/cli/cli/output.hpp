#pragma once
// How the CLI prints results: an aligned table, one JSON document, or RFC 4180 CSV.

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace kmeet::cli {

/// JSON values keep their keys in insertion order, so objects print in the API's field order.
using Json = nlohmann::ordered_json;

enum class Format { table, json, csv };

/// `table`, `json` or `csv`; throws ValidationError("--output", ...) for anything else.
Format parse_format(std::string_view text);

/// A column of a list: the JSON key (dotted path allowed: `a.b`) and its table header.
struct Column {
  std::string key;
  std::string header;
};

/// A cell a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, tab or CR;
/// OWASP "CSV injection") gets a `'` in front; plain numbers such as `-5` or `+1.5` are kept.
std::string csv_neutralize(std::string_view value);

/// RFC 4180 field (after csv_neutralize): quoted (with `"` doubled) when it holds `,` `"` CR or LF or starts/ends with a space.
std::string csv_field(std::string_view value);

/// One CSV record of `fields`, terminated by CRLF (RFC 4180).
std::string csv_record(const std::vector<std::string>& fields);

/// A JSON value as one cell: strings as is, null empty, numbers/bools as JSON, objects/arrays compact.
/// In tables (`human`), Unix-time keys (`createdAt`, `startDate`...) are shown as ISO 8601.
std::string cell_text(const Json& value, std::string_view key, bool human);

/// Terminal width of UTF-8 text (code points; control characters count 0).
std::size_t display_width(std::string_view text);

/// Prints one object: table = `key  value` lines, csv = header + one record, json = the object.
void print_object(std::ostream& out, Format format, const Json& object);

/// Prints an array of objects: table and csv show `columns` (all keys of the first object when
/// empty), json prints the whole array.
void print_list(std::ostream& out, Format format, const Json& array,
                const std::vector<Column>& columns);

/// Renders rows as an aligned table (header underlined by column), cells cut to `max_width`.
std::string render_table(const std::vector<std::string>& headers,
                         const std::vector<std::vector<std::string>>& rows, std::size_t max_width = 80);

}  // namespace kmeet::cli
