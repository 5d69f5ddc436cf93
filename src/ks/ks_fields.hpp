#pragma once
// The KS v2 field string, exactly as the server's `generateKsV2` builds it and `parseKsV2` reads
// it back (protocol.md F.3): privilege splitting, PHP http_build_query and parse_str.

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmeet::detail {

/// PHP `trim()` with its default character set (" \t\n\r\0\x0B").
std::string_view php_trim(std::string_view s);

/// PHP `(int)"..."`: optional leading whitespace and sign, then digits up to the first non-digit;
/// 0 when there are none. Saturates instead of overflowing.
std::int64_t php_intval(std::string_view s);

/// An ordered map with PHP array semantics for string keys: setting an existing key overwrites
/// the value and keeps the original position.
template <class S>
void ordered_set(std::vector<std::pair<S, S>>& map, S key, S value) {
  for (auto& kv : map) {
    if (kv.first == key) {
      kv.second = std::move(value);
      return;
    }
  }
  map.emplace_back(std::move(key), std::move(value));
}

/// Lists every item of a privileges string in order, duplicates included: split on `,`, trim,
/// skip empty, `*` -> `all:*`, split on the first `:` (no `:` -> empty value). This is what a KS v1
/// carries (the duplicates stay in its string, protocol.md F.6). `out` is cleared first.
void list_privileges(std::string_view privileges,
                     std::vector<std::pair<std::string_view, std::string_view>>& out);

/// Splits a privileges string like `generateKsV2`: split on `,`, trim, skip empty, `*` ->
/// `all:*`, split on the first `:` (no `:` -> empty value); later duplicates overwrite earlier
/// ones in place. Views point into `privileges` or static storage. `out` is cleared first.
void split_privileges(std::string_view privileges,
                      std::vector<std::pair<std::string_view, std::string_view>>& out);

/// Appends the v2 field string (`http_build_query` of the privileges followed by `_e`, `_t`, `_u`,
/// which overwrite same-named privileges in place) to `out`.
void append_ks_v2_fields(std::string& out, std::string_view privileges, std::int64_t expiry,
                         int type, std::string_view user_id);

/// PHP `parse_str`: `&`-separated `k=v`, both URL-decoded (`+` -> space); key names lose leading
/// spaces, are cut at NUL, and have `.`/space turned into `_` (up to a `[`); `k[...]=v` is read as
/// `k=v` (PHP would build an array, which the server then cannot use as a privilege). Later
/// duplicates overwrite earlier ones in place.
std::vector<std::pair<std::string, std::string>> php_parse_str(std::string_view query);

/// The server's privilege string rebuilt from parsed fields: `k:v` (`k` for an empty value)
/// joined by `,`; `all:*` becomes `*`.
std::string rebuild_privileges(const std::vector<std::pair<std::string, std::string>>& privileges);

}  // namespace kmeet::detail
