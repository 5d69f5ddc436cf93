#pragma once
// The identity of the events sync makes: referenceIds (include/kmeet/sync.hpp, docs/sync.md).

#include <optional>
#include <string>
#include <string_view>

namespace kmeet::detail::sync {

/// Highest generation a referenceId may carry.
inline constexpr int kMaxGeneration = 999999;

/// A parsed sync referenceId of one scope.
struct SyncRef {
  std::string key_digest;  ///< 32 hex: the session key's digest
  int generation = 1;
};

/// The 32-hex digest of `key` in `scope` (the middle of its referenceId).
std::string key_digest(std::string_view scope, std::string_view key);

/// The referenceId of a key digest (see kmeet::sync_reference_id).
std::string reference_of(std::string_view scope, std::string_view digest, int generation);

/// nullopt unless `reference_id` is a well-formed sync referenceId of `scope` with a valid check.
std::optional<SyncRef> parse_reference(std::string_view reference_id, std::string_view scope);

/// Lower-case hex of SHA-256 / SHA-1 of `data`.
std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);

}  // namespace kmeet::detail::sync
