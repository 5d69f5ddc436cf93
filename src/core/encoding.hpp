#pragma once
// Percent-encoding shared by the api layer, KS fields and KAF URLs: one implementation each.

#include <string>
#include <string_view>

namespace kmeet::detail {

/// RFC 3986 component encoding (byte-identical to libcurl's `curl_easy_escape`): everything except
/// `[A-Za-z0-9-._~]` becomes `%XX` (upper-case hex). Stricter than JavaScript's
/// `encodeURIComponent` (which keeps `!'()*`); decoders treat both the same. Used for query
/// values (the KS in a URL) and the `api` privilege JSON.
std::string url_encode_component(std::string_view in);

/// PHP `urlencode` (RFC 1738 flavour used by `http_build_query`): space -> `+`, everything except
/// `[A-Za-z0-9_.-]` -> `%XX` upper-case (so `~` -> `%7E`). Appends to `out`; allocation-free when
/// `out` has capacity (it sits on the KS minting hot path).
void php_urlencode_append(std::string& out, std::string_view in);
std::string php_urlencode(std::string_view in);

/// PHP `urldecode`: `+` -> space, `%XX` (either case) -> byte; a `%` not followed by two hex digits
/// is kept literally. Appends to `out`.
void php_urldecode_append(std::string& out, std::string_view in);
std::string php_urldecode(std::string_view in);

}  // namespace kmeet::detail

namespace kmeet::detail {

/// Escapes `& < > " '` for use in HTML text and double- or single-quoted attributes.
std::string html_escape(std::string_view in);

}  // namespace kmeet::detail

namespace kmeet::detail {

/// Where `text` stops being well-formed UTF-8 (RFC 3629: no overlong forms, surrogates or code
/// points above U+10FFFF), or `npos` when all of it is. The API's JSON bodies must be UTF-8.
std::size_t invalid_utf8_at(std::string_view text);
inline bool is_valid_utf8(std::string_view text) { return invalid_utf8_at(text) == std::string_view::npos; }

}  // namespace kmeet::detail
