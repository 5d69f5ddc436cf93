#pragma once
// `kmeet import FILE.csv`: validated, batched, concurrent, idempotent and resumable provisioning.

#include <optional>
#include <string>

#include "cli/context.hpp"

namespace kmeet::cli {

/// The options of `kmeet import`.
struct ImportOpts {
  std::string file;
  int concurrency = 4;
  int batch = 20;
  std::optional<std::string> results;
  std::string moderator_user = "kmeet-moderator";
  bool dry_run = false;
  bool strict = false;  ///< any invalid row: exit 2, nothing sent
};

/// Plans the file, then (unless --dry-run) creates what is missing and prints the summary.
int import_csv(Ctx& ctx, const ImportOpts& o);

}  // namespace kmeet::cli
