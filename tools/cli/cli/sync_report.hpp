#pragma once
// What `kmeet sync` prints: the plan (and with --apply each item's result) as one JSON document,
// or as rows for table and CSV output.

#include "cli/output.hpp"
#include "kmeet/sync.hpp"

namespace kmeet::cli {

/// `{"create":[...],"update":[...],"cancel":[...],"delete":[...],"unchanged":N,"kept":N,
/// "conflicts":[...],"window":{...}}`; with `result`, every item also has `result` (`done`,
/// `failed`, `conflict`) and `error` when not done (docs/sync.md).
Json sync_document(const SyncPlan& plan, const SyncResult* result);

/// One row per item and per conflict (action, id, key, summary, startDate, endDate, room, detail,
/// result), for table and CSV output.
Json sync_rows(const Json& document);

/// The columns of sync_rows.
const std::vector<Column>& sync_columns();

/// `8 to create, 1 to update, 1 to cancel, 0 to delete, 6 unchanged, 1 conflict`.
std::string sync_summary(const Json& document, bool applied);

}  // namespace kmeet::cli
