#pragma once
// Shared types of the emulator core: JSON alias, the Kaltura API exception, small helpers.

#include <kmeet/urls.hpp>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace kmeet::emulator {

using Json = nlohmann::ordered_json;

/// A `KalturaAPIException`: code, message with the @ARG@ placeholders filled in, args in order.
struct ApiError : std::runtime_error {
  std::string code;
  std::vector<std::pair<std::string, std::string>> args;
  ApiError(std::string code_, std::string message,
           std::vector<std::pair<std::string, std::string>> args_ = {})
      : std::runtime_error(std::move(message)), code(std::move(code_)), args(std::move(args_)) {}
  /// `{"code","message","objectType":"KalturaAPIException","args":{..} or []}`.
  [[nodiscard]] Json to_json() const;
};

/// Builds an ApiError from the server's template `message with @ARG@` and the args in order.
ApiError api_error(std::string code, std::string_view tmpl,
                   std::vector<std::pair<std::string, std::string>> args = {});

/// PHP `(int)` of a string: optional blanks, sign, digits; anything else stops (0 if none).
std::int64_t php_intval(std::string_view s);
/// PHP `(int)` of any JSON scalar (bool -> 0/1, float truncated, null -> 0).
std::int64_t json_intval(const Json& v);
/// PHP `(string)` of a JSON scalar (true -> "1", false/null -> "", numbers as PHP prints them).
std::string json_strval(const Json& v);
/// True when the string is an optional sign followed by digits only.
bool is_integer_string(std::string_view s);

std::string to_lower(std::string_view s);
std::vector<std::string> split(std::string_view s, char sep);
std::string trim(std::string_view s);
/// Case-insensitive substring search (MySQL LIKE '%needle%' with a _ci collation).
bool icontains(std::string_view hay, std::string_view needle);
/// Percent-decoding; `+` becomes a space when `plus_space`.
std::string url_decode(std::string_view s, bool plus_space = true);

}  // namespace kmeet::emulator
