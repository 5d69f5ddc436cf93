#pragma once
// The one check of an http(s) base URL (service URL, KAF URL), shared by Config and the URL composer.

#include <string>
#include <string_view>

namespace kmeet::detail {

/// Why `url` is not an absolute http(s) URL with a real host (and a port 1..65535 if one is
/// given), or empty when it is. `http://`, `http:///x`, `https://:443` and `http://user@/` name no
/// host: libcurl would fail later, or worse, read the path as a host.
std::string http_url_problem(std::string_view url);

}  // namespace kmeet::detail
