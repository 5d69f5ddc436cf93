#pragma once
// Listing everything without deep offsets.
//
// Kaltura's servers serve at most 10,000 results of one event or entry query (protocol.md D.6: the
// search engine's MAX_MATCHES; list_all() simply never needs deeper pages), and offset
// paging over a sort key with ties (createdAt has one-second resolution) can skip or repeat
// objects when the order of ties is not stable. So:
//
// * Rooms and events (filters with `idNotIn`): keyset paging. Every request asks for page 1,
//   ordered `+createdAt`, with `createdAtGreaterThanOrEqual = T` (createdAt of the last object
//   returned) and `idNotIn` = the ids already returned whose createdAt is T. Nothing is skipped or
//   repeated whatever the tie order, and deep offsets are never needed. If more objects share
//   one second than `idNotIn` can hold (500 values), that second is swept on its own with
//   `createdAt >= T and <= T` and offset pages (deduplicated), then the cursor moves to T+1.
//   The sweep, like any offset paging, relies on the server ordering ties the same way for the
//   same query (true of a database executing one plan); more than 10,000 objects in one second
//   cannot be listed and raise an Error.
// * Links (no id, no `idNotIn`): windowed offset paging ordered `+createdAt`; before a page would
//   cross the window the query restarts at the last createdAt seen, and the links of that second
//   already returned are skipped by their (event, room) key.

#include <fmt/format.h>

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/listing.hpp"
#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/object_calls.hpp"
#include "services/service_call.hpp"

namespace kmeet::detail {

/// Hashes the (key, createdAt) pairs of a page as the server sent it, for Listing's
/// repeated-page rule.
template <class Key>
class PageHash {
 public:
  void add(const Key& key, std::optional<Timestamp> created) {
    hash_ = hash_ * 1099511628211U ^ std::hash<Key>{}(key);
    hash_ = hash_ * 1099511628211U ^
            std::hash<std::int64_t>{}(created ? created->time_since_epoch().count() : -1);
  }
  [[nodiscard]] std::size_t value() const { return hash_; }

 private:
  std::size_t hash_ = 14695981039346656037U;
};

/// createdAt of an object; list_all cannot work without it.
inline Timestamp created_at_of(const std::optional<Timestamp>& c) {
  if (!c) throw ProtocolError("list_all: an object in a list response has no createdAt");
  return *c;
}

[[noreturn]] inline void throw_past_window(std::optional<Timestamp> second) {
  throw Error(fmt::format(
      "list_all: more than {} objects were created in the second {}; the server cannot page past them",
      kListWindow, second ? second->time_since_epoch().count() : 0));
}

/// What one list_all step asks the server for (ordered `+createdAt`).
struct ListQuery {
  std::optional<Timestamp> created_gte;  ///< lower bound (inclusive)
  std::optional<Timestamp> created_lte;  ///< upper bound (inclusive; keyset paging only)
  std::vector<std::int64_t> id_not_in;   ///< ids to leave out: user's plus boundary ids (keyset paging only)
  int page_index = 1;
  int page_size = kMaxPageSize;
};

/// Fetches one page of a list_all step.
template <class T>
using ListFetch = std::function<std::vector<T>(const ListQuery&)>;

/// Keyset paging of objects with an id (rooms, events); one fetch per page.
template <class T>
class KeysetSource final : public PageSource<T> {
 public:
  KeysetSource(ListFetch<T> fetch, std::string what, std::optional<Timestamp> gte,
               std::optional<Timestamp> lte, std::vector<std::int64_t> user_not_in, int page_size)
      : fetch_(std::move(fetch)),
        what_(std::move(what)),
        cursor_(gte),
        lte_(lte),
        user_not_in_(std::move(user_not_in)),
        page_size_(page_size) {}

  FetchedPage<T> fetch() override {
    FetchedPage<T> page;
    if (!sweeping_) {
      ListQuery q{cursor_, lte_, user_not_in_, 1, page_size_};
      q.id_not_in.insert(q.id_not_in.end(), boundary_.begin(), boundary_.end());
      if (q.id_not_in.size() <= static_cast<std::size_t>(kMaxPageSize)) {
        keyset_step(q, page);
        return page;
      }
      start_sweep();
    }
    sweep_step(page);
    return page;
  }

  [[nodiscard]] std::string where() const override {
    return fmt::format("list_all of {}, {} at createdAt {}", what_,
                       sweeping_ ? "sweeping the second" : "keyset step",
                       cursor_ ? cursor_->time_since_epoch().count() : 0);
  }

 private:
  void keyset_step(const ListQuery& q, FetchedPage<T>& page) {
    std::vector<T> items = fetch_(q);  // state changes only after a successful fetch
    PageHash<std::int64_t> hash;
    bool progress = false;
    for (auto& item : items) {
      hash.add(item.id.value(), item.created_at);
      const Timestamp t = created_at_of(item.created_at);
      if (cursor_ && t < *cursor_) continue;                                            // outside the window
      if (cursor_ && t == *cursor_ && boundary_.count(item.id.value()) != 0) continue;  // already returned
      if (!cursor_ || t > *cursor_) {
        cursor_ = t;
        boundary_.clear();
      }
      boundary_.insert(item.id.value());
      page.items.push_back(std::move(item));
      progress = true;
    }
    page.fingerprint = hash.value();
    if (items.size() < static_cast<std::size_t>(page_size_)) {
      done_ = true;
    } else if (!progress) {
      start_sweep();  // the server did not honour idNotIn: page through this second instead
    }
    page.last = done_;
  }

  void start_sweep() {
    sweeping_ = true;
    sweep_page_ = 1;
  }

  void sweep_step(FetchedPage<T>& page) {
    if (static_cast<std::int64_t>(sweep_page_) * page_size_ > kListWindow) throw_past_window(cursor_);
    std::vector<T> items = fetch_(ListQuery{cursor_, cursor_, user_not_in_, sweep_page_, page_size_});
    PageHash<std::int64_t> hash;
    for (auto& item : items) {
      hash.add(item.id.value(), item.created_at);
      if (cursor_ && created_at_of(item.created_at) != *cursor_) continue;
      if (boundary_.insert(item.id.value()).second) page.items.push_back(std::move(item));
    }
    page.fingerprint = hash.value();
    page.continues_query = sweep_page_ > 1;
    if (items.size() < static_cast<std::size_t>(page_size_)) {
      sweeping_ = false;
      boundary_.clear();
      if (!cursor_) {
        done_ = true;  // without a cursor the sweep was the whole listing
      } else {
        *cursor_ += std::chrono::seconds(1);
        if (lte_ && *cursor_ > *lte_) done_ = true;
      }
    } else {
      ++sweep_page_;
    }
    page.last = done_;
  }

  ListFetch<T> fetch_;
  std::string what_;
  std::optional<Timestamp> cursor_;
  std::optional<Timestamp> lte_;
  std::vector<std::int64_t> user_not_in_;
  int page_size_;
  std::set<std::int64_t> boundary_;  // ids returned whose createdAt == cursor_
  bool sweeping_ = false;
  int sweep_page_ = 1;
  bool done_ = false;
};

/// Windowed offset paging of objects without an id (links), keyed by `key`; one fetch per page.
template <class T>
class WindowSource final : public PageSource<T> {
 public:
  using Key = std::function<std::string(const T&)>;

  WindowSource(ListFetch<T> fetch, Key key, std::string what, std::optional<Timestamp> gte, int page_size)
      : fetch_(std::move(fetch)),
        key_(std::move(key)),
        what_(std::move(what)),
        window_start_(gte),
        page_size_(page_size) {}

  FetchedPage<T> fetch() override {
    int page_index = page_;
    std::optional<Timestamp> start = window_start_;
    if (static_cast<std::int64_t>(page_index) * page_size_ > kListWindow) {
      // The next page lies beyond what the server serves: restart at the last second seen.
      if (!last_ || (start && *last_ == *start)) throw_past_window(last_);
      start = last_;
      page_index = 1;
    }
    std::vector<T> items =
        fetch_(ListQuery{.created_gte = start, .page_index = page_index, .page_size = page_size_});
    window_start_ = start;
    page_ = page_index + 1;
    FetchedPage<T> page;
    PageHash<std::string> hash;
    for (auto& item : items) {
      std::string key = key_(item);
      hash.add(key, item.created_at);
      const Timestamp c = created_at_of(item.created_at);
      if (last_ && c == *last_ && boundary_.count(key) != 0) continue;  // seen before the restart
      if (last_ && c < *last_) continue;
      if (!last_ || c > *last_) {
        last_ = c;
        boundary_.clear();
      }
      boundary_.insert(std::move(key));
      page.items.push_back(std::move(item));
    }
    page.fingerprint = hash.value();
    page.continues_query = page_index > 1;
    page.last = items.size() < static_cast<std::size_t>(page_size_);
    return page;
  }

  [[nodiscard]] std::string where() const override {
    return fmt::format("list_all of {}, page {} from createdAt {}", what_, page_ - 1,
                       window_start_ ? window_start_->time_since_epoch().count() : 0);
  }

 private:
  ListFetch<T> fetch_;
  Key key_;
  std::string what_;
  std::optional<Timestamp> window_start_;
  int page_size_;
  int page_ = 1;
  std::optional<Timestamp> last_;
  std::set<std::string> boundary_;  // keys returned whose createdAt == last_
};

/// One page of a `list` call of `service`: validated, sent, decoded.
template <class Filter, class Decode>
auto list_page(const ServiceContext& ctx, std::string_view service, const Filter& filter, const Pager& pager,
               Decode decode) {
  validate(filter);
  validate(pager);
  return decode(ctx.api.call(make_call(service, "list", list_params(to_wire(filter), to_wire(pager)), true)));
}

/// list_all of rooms or events: keyset paging over the `list` of `s`, oldest first.
template <class T, class Filter, class Decode>
Listing<T> keyset_list_all(std::shared_ptr<const ServiceContext> ctx, const ObjectService& s,
                           const Filter& filter, int page_size, Decode decode) {
  validate(filter);
  validate_page_size(page_size);
  std::vector<std::int64_t> not_in;
  for (auto id : filter.id_not_in) not_in.push_back(id.value());
  auto fetch = [ctx, service = s.service, filter, decode](const ListQuery& q) {
    Filter f = filter;
    f.created_at_gte = q.created_gte;
    f.created_at_lte = q.created_lte ? q.created_lte : filter.created_at_lte;
    f.id_not_in.clear();
    for (auto id : q.id_not_in) f.id_not_in.emplace_back(id);
    f.order_by = decltype(f.order_by)::value_type::created_at_asc;
    return list_page(*ctx, service, f, Pager{q.page_size, q.page_index}, decode).items;
  };
  return make_listing<T>(std::make_shared<KeysetSource<T>>(fetch, std::string(s.what), filter.created_at_gte,
                                                           filter.created_at_lte, std::move(not_in),
                                                           page_size));
}

}  // namespace kmeet::detail
