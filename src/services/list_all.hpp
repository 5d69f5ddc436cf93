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

namespace kmeet::detail {

/// The query a keyset step asks for.
struct KeysetQuery {
  std::optional<Timestamp> created_gte;  ///< lower bound (inclusive)
  std::optional<Timestamp> created_lte;  ///< upper bound (inclusive)
  std::vector<std::int64_t> id_not_in;   ///< ids to leave out (user's plus boundary ids)
  int page_index = 1;
  int page_size = kMaxPageSize;
};

template <class T>
class KeysetSource final : public BatchSource<T> {
 public:
  using Fetch = std::function<std::vector<T>(const KeysetQuery&)>;
  using Key = std::function<std::pair<std::int64_t, std::optional<Timestamp>>(const T&)>;

  KeysetSource(Fetch fetch, Key key, std::optional<Timestamp> gte, std::optional<Timestamp> lte,
               std::vector<std::int64_t> user_not_in, int page_size)
      : fetch_(std::move(fetch)),
        key_(std::move(key)),
        cursor_(gte),
        lte_(lte),
        user_not_in_(std::move(user_not_in)),
        page_size_(page_size) {}

  bool next(std::vector<T>& out) override {
    out.clear();
    while (!done_ && out.empty()) {
      if (sweeping_) {
        sweep_step(out);
      } else {
        keyset_step(out);
      }
    }
    return !out.empty();
  }

 private:
  // createdAt of an object; list_all cannot work without it.
  Timestamp created(const std::optional<Timestamp>& c) const {
    if (!c) throw ProtocolError("list_all: an object in a list response has no createdAt");
    return *c;
  }

  void keyset_step(std::vector<T>& out) {
    KeysetQuery q{cursor_, lte_, user_not_in_, 1, page_size_};
    q.id_not_in.insert(q.id_not_in.end(), boundary_.begin(), boundary_.end());
    if (q.id_not_in.size() > static_cast<std::size_t>(kMaxPageSize)) {
      start_sweep();
      return;
    }
    std::vector<T> items = fetch_(q);  // state changes only after a successful fetch
    bool progress = false;
    for (auto& item : items) {
      auto [id, c] = key_(item);
      Timestamp t = created(c);
      if (cursor_ && t < *cursor_) continue;                                  // outside the window
      if (cursor_ && t == *cursor_ && boundary_.count(id) != 0) continue;    // already returned
      if (!cursor_ || t > *cursor_) {
        cursor_ = t;
        boundary_.clear();
      }
      boundary_.insert(id);
      out.push_back(std::move(item));
      progress = true;
    }
    if (items.size() < static_cast<std::size_t>(page_size_)) {
      done_ = true;
    } else if (!progress) {
      start_sweep();  // the server did not honour idNotIn: page through this second instead
    }
  }

  void start_sweep() {
    sweeping_ = true;
    sweep_page_ = 1;
  }

  void sweep_step(std::vector<T>& out) {
    if (static_cast<std::int64_t>(sweep_page_) * page_size_ > kListWindow) {
      throw Error(fmt::format(
          "list_all: more than {} objects were created in the second {}; the server cannot page past them",
          kListWindow, cursor_ ? cursor_->time_since_epoch().count() : 0));
    }
    KeysetQuery q{cursor_, cursor_, user_not_in_, sweep_page_, page_size_};
    std::vector<T> items = fetch_(q);
    for (auto& item : items) {
      auto [id, c] = key_(item);
      if (cursor_ && created(c) != *cursor_) continue;
      if (boundary_.insert(id).second) out.push_back(std::move(item));
    }
    if (items.size() < static_cast<std::size_t>(page_size_)) {
      sweeping_ = false;
      boundary_.clear();
      if (!cursor_) {
        done_ = true;  // without a cursor the sweep was the whole listing
        return;
      }
      *cursor_ += std::chrono::seconds(1);
      if (lte_ && *cursor_ > *lte_) done_ = true;
    } else {
      ++sweep_page_;
    }
  }

  Fetch fetch_;
  Key key_;
  std::optional<Timestamp> cursor_;
  std::optional<Timestamp> lte_;
  std::vector<std::int64_t> user_not_in_;
  int page_size_;
  std::set<std::int64_t> boundary_;  // ids returned whose createdAt == cursor_
  bool sweeping_ = false;
  int sweep_page_ = 1;
  bool done_ = false;
};

/// The query a window step asks for.
struct WindowQuery {
  std::optional<Timestamp> created_gte;
  int page_index = 1;
  int page_size = kMaxPageSize;
};

template <class T>
class WindowSource final : public BatchSource<T> {
 public:
  using Fetch = std::function<std::vector<T>(const WindowQuery&)>;
  using Key = std::function<std::pair<std::string, std::optional<Timestamp>>(const T&)>;

  WindowSource(Fetch fetch, Key key, std::optional<Timestamp> gte, int page_size)
      : fetch_(std::move(fetch)), key_(std::move(key)), window_start_(gte), page_size_(page_size) {}

  bool next(std::vector<T>& out) override {
    out.clear();
    while (!done_ && out.empty()) step(out);
    return !out.empty();
  }

 private:
  void step(std::vector<T>& out) {
    int page = page_;
    std::optional<Timestamp> start = window_start_;
    if (static_cast<std::int64_t>(page) * page_size_ > kListWindow) {
      // The next page lies beyond what the server serves: restart at the last second seen.
      if (!last_ || (start && *last_ == *start)) {
        throw Error(fmt::format(
            "list_all: more than {} objects were created in the second {}; the server cannot page past them",
            kListWindow, last_ ? last_->time_since_epoch().count() : 0));
      }
      start = last_;
      page = 1;
    }
    std::vector<T> items = fetch_(WindowQuery{start, page, page_size_});
    window_start_ = start;
    page_ = page + 1;
    for (auto& item : items) {
      auto [key, c] = key_(item);
      if (!c) throw ProtocolError("list_all: an object in a list response has no createdAt");
      if (last_ && *c == *last_ && boundary_.count(key) != 0) continue;  // seen before the restart
      if (last_ && *c < *last_) continue;
      if (!last_ || *c > *last_) {
        last_ = *c;
        boundary_.clear();
      }
      boundary_.insert(key);
      out.push_back(std::move(item));
    }
    if (items.size() < static_cast<std::size_t>(page_size_)) done_ = true;
  }

  Fetch fetch_;
  Key key_;
  std::optional<Timestamp> window_start_;
  int page_size_;
  int page_ = 1;
  std::optional<Timestamp> last_;
  std::set<std::string> boundary_;  // keys returned whose createdAt == last_
  bool done_ = false;
};

}  // namespace kmeet::detail
