#pragma once
/// @file kmeet.hpp
/// Umbrella header: includes every public kmeet header. Include the single headers instead to
/// keep compile times down; this one is for quick starts and examples.

#include "kmeet/analytics.hpp"
#include "kmeet/app_tokens.hpp"
#include "kmeet/async.hpp"
#include "kmeet/call_options.hpp"
#include "kmeet/client.hpp"
#include "kmeet/config.hpp"
#include "kmeet/digest.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"
#include "kmeet/export.hpp"
#include "kmeet/hooks.hpp"
#include "kmeet/http.hpp"
#include "kmeet/json.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/links.hpp"
#include "kmeet/listing.hpp"
#include "kmeet/meetings.hpp"
#include "kmeet/model.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/recordings.hpp"
#include "kmeet/report.hpp"
#include "kmeet/retry.hpp"
#include "kmeet/rooms.hpp"
#include "kmeet/sessions.hpp"
#include "kmeet/settings.hpp"
#include "kmeet/sync.hpp"
#include "kmeet/types.hpp"
#include "kmeet/urls.hpp"
#include "kmeet/validate.hpp"
#include "kmeet/version.hpp"

/// @namespace kmeet
/// The kmeet SDK: everything a user calls lives here; `kmeet::detail` is internal.
