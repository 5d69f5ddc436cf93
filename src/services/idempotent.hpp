#pragma once
// Creates that are safe to retry (docs/reliability.md). Every add carries an idempotency key (a
// room's systemName, an event's referenceId, a link's event+room pair). When the outcome of an add
// is unknown (the connection died after sending, a 5xx, a garbled body), the object is first looked
// up by that key: found -> it is the result; not found -> the add is sent again, as often as the
// client's RetryPolicy allows. No add is ever sent twice without a look-up in between.

#include <chrono>
#include <exception>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "api/api_client.hpp"
#include "api/retry_loop.hpp"
#include "api/service_context.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/model.hpp"
#include "kmeet/retry.hpp"

namespace kmeet::detail {

/// A fresh idempotency key, `kmeet-` + 32 hex digits from the client's random source (OpenSSL by
/// default).
std::string new_idempotency_key(const ServiceContext& ctx);

// outcome_unknown(error) (api/api_client.hpp) tells whether a failed create may have run.

/// One attempt, no retries: for calls made inside a RetryLoop that does the retrying.
const RetryPolicy& one_attempt();

/// The look-up of each key, as a call (so meetings can batch them in one multirequest) and as the
/// decoding of its answer (the first match; nullopt when the page is empty).
ApiCall find_room_call(const std::string& system_name);
/// `page_size` 2 tells "one object" from "ambiguous"; meetings list wider to see every twin.
ApiCall find_event_call(const std::string& reference_id, int page_size = 2);
ApiCall find_link_call(EventId event, RoomId room);
/// `scheduleEventResource.list` of the links of `event` (first 50).
ApiCall find_links_of_event_call(EventId event);
/// The links in a list page that point at resource 0 (see create_meeting's stray links).
std::vector<EventRoomLink> links_to_room_zero(const Json& page);
std::optional<Room> found_room(const Json& page);
std::optional<Event> found_event(const Json& page);
std::optional<EventRoomLink> found_link(const Json& page);

/// The look-ups as single calls.
std::optional<Room> find_room(const ServiceContext& ctx, const std::string& system_name);
std::optional<Event> find_event(const ServiceContext& ctx, const std::string& reference_id);
std::optional<EventRoomLink> find_link(const ServiceContext& ctx, EventId event, RoomId room);

/// Server codes that mean "that key is taken": after an unknown outcome, our own earlier add.
inline constexpr std::string_view kRoomKeyTaken = "SYSTEM_NAME_ALREADY_EXISTS";
inline constexpr std::string_view kLinkExists = "SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS";

/// Runs `lookup` (one attempt each) until it answers, retrying failures as truth look-ups (bounded
/// by `loop`'s deadline only, then checked once more). ApiError passes through; when no look-up
/// succeeds, `failure` (the unknown outcome that made the look-up necessary) is thrown.
template <class T>
std::optional<T> look_up(RetryLoop& loop, const std::function<std::optional<T>()>& lookup,
                         const std::exception_ptr& failure) {
  std::optional<T> found;
  if (retry_for_truth(loop, [&] { found = lookup(); })) std::rethrow_exception(failure);
  return found;
}

/// The add of add_idempotent(), as a stopped call reports it (CancelledError).
struct AddKey {
  std::string_view call;       ///< `service.action`, e.g. `schedule_scheduleresource.add`
  std::string_view key_field;  ///< `system_name`, `reference_id`, `event_id,room_id`
  std::string key;             ///< the key's value as sent
};

/// Ends add_idempotent() when its RetryLoop allows no more: CancelledError (with the key, and
/// whether the add may have run) when the caller's cancellation or deadline stopped it, else the
/// first unknown outcome, else `failure`.
[[noreturn]] void give_up_add(const RetryLoop& loop, const std::exception_ptr& failure, const std::exception_ptr& unknown,
                              const AddKey& key);

/// Runs a single-object add with its idempotency key, under one RetryLoop (the client's policy,
/// budget and deadline; docs/reliability.md).
///  - `send` sends the add once and decodes the result;
///  - `lookup` finds the object by its key once (nullopt when it does not exist);
///  - `already_exists` is the API error code the server gives when the key is taken
///    (`SYSTEM_NAME_ALREADY_EXISTS`, `SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS`; empty for none):
///    after an unknown outcome it means our earlier attempt went through, so the object is looked
///    up and returned.
/// A failure that provably did not run (connection refused, 429, ACTION_BLOCKED) is sent again as
/// the policy allows, honouring Retry-After and the throttling window; after an unknown outcome the
/// key is looked up first (bounded by the deadline, not the budget) and only a confirmed absence is
/// sent again. Throws the last error when the policy allows no more, CancelledError (naming `key`)
/// when the caller's CallOptions stopped it; ValidationError and other ApiErrors pass through.
template <class T>
T add_idempotent(const ServiceContext& ctx, const std::function<T()>& send,
                 const std::function<std::optional<T>()>& lookup, std::string_view already_exists,
                 const AddKey& key = {}) {
  const CallScope scope = ctx.api.scope(key.call);
  RetryLoop loop = ctx.api.retry_loop();
  // The first unknown outcome: once an attempt may have created the object, giving up must say so
  // (this error, whose outcome is unknown), never a later error that looks final.
  std::exception_ptr unknown;
  for (;;) {
    try {
      return send();
    } catch (const ThrottledError&) {
      if (!loop.next(std::current_exception(), false)) give_up_add(loop, std::current_exception(), unknown, key);
      continue;  // nothing ran: the same add again
    } catch (const ApiError& e) {
      if (!unknown || already_exists.empty() || e.code() != already_exists) throw;
    } catch (const CancelledError&) {
      give_up_add(loop, std::current_exception(), unknown, key);
    } catch (const Error&) {
      const std::exception_ptr failure = std::current_exception();
      if (!outcome_unknown(failure)) {
        if (loop.next(failure, false)) continue;  // provably not executed: the same add again
        give_up_add(loop, failure, unknown, key);
      }
      if (!unknown) unknown = failure;
    }
    std::optional<T> found;
    try {
      found = look_up(loop, lookup, unknown);
    } catch (const ApiError&) {
      throw;  // the server's final answer (KMEET_AMBIGUOUS_KEY...)
    } catch (const Error&) {
      give_up_add(loop, std::current_exception(), unknown, key);
    }
    if (found) return std::move(*found);
    if (!loop.next(RetryDecision{true, {}})) give_up_add(loop, unknown, unknown, key);
  }
}

}  // namespace kmeet::detail
