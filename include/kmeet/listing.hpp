#pragma once
/// @file listing.hpp
/// `Listing<T>`: a lazy input range over every object a list call matches, fetched page by page
/// on demand.

#include <cstddef>
#include <iterator>
#include <memory>
#include <utility>
#include <vector>

namespace kmeet {
namespace detail {
/// Produces the objects of a listing batch by batch (implemented inside kmeet).
template <class T>
class BatchSource {
 public:
  virtual ~BatchSource() = default;
  /// Replaces `out` with the next non-empty batch; returns false when there are no more objects.
  virtual bool next(std::vector<T>& out) = 0;
};
}  // namespace detail

/// A single-pass (input) range: nothing is fetched until `begin()`; each further page is fetched
/// when iteration reaches it. Errors of a fetch (ApiError, TransportError...) are thrown from
/// `begin()` or `++`. Iterating again continues where the last iteration stopped.
///
///     for (const kmeet::Room& room : client.rooms().list_all()) { ... }
template <class T>
class Listing {
  struct State;  // declared before the iterator names it (clang needs it in member declarations)

 public:
  /// Made by `list_all`; nothing is fetched until iteration starts.
  explicit Listing(std::shared_ptr<detail::BatchSource<T>> source)
      : state_(std::make_shared<State>(State{std::move(source), {}, 0, false, false})) {}

  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = const T&;
    using pointer = const T*;

    iterator() = default;
    const T& operator*() const { return state_->batch[state_->pos]; }
    const T* operator->() const { return &state_->batch[state_->pos]; }
    iterator& operator++() {
      if (++state_->pos >= state_->batch.size()) Listing::fill(*state_);
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t /*unused*/) {
      return it.state_ == nullptr || it.state_->done;
    }

   private:
    friend class Listing;
    explicit iterator(std::shared_ptr<typename Listing::State> state) : state_(std::move(state)) {}
    std::shared_ptr<typename Listing::State> state_;
  };

  /// Fetches the first page if nothing was fetched yet.
  iterator begin() {
    // Also refills after a fetch that threw, so iteration can be resumed.
    if (!state_->started || (!state_->done && state_->pos >= state_->batch.size())) {
      fill(*state_);
      state_->started = true;
    }
    return iterator(state_);
  }
  /// The end of the range.
  std::default_sentinel_t end() const { return {}; }

  /// Drains the range into a vector (fetches every remaining page).
  std::vector<T> to_vector() {
    std::vector<T> all;
    for (auto it = begin(); it != end(); ++it) all.push_back(*it);
    return all;
  }

 private:
  struct State {
    std::shared_ptr<detail::BatchSource<T>> source;
    std::vector<T> batch;
    std::size_t pos = 0;
    bool started = false;
    bool done = false;
  };
  // Leaves the state untouched when the source throws.
  static void fill(State& s) {
    std::vector<T> next;
    while (next.empty()) {
      if (!s.source->next(next)) {
        s.batch.clear();
        s.pos = 0;
        s.done = true;
        return;
      }
    }
    s.batch = std::move(next);
    s.pos = 0;
  }
  std::shared_ptr<State> state_;
};

}  // namespace kmeet
