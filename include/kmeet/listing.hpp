#pragma once
/// @file listing.hpp
/// `Listing<T>`: kmeet's one lazy range. Every call that lists (`Rooms::list_all`,
/// `Events::list_all`, `Links::list_all`, every `Analytics` listing) returns one.
///
/// Rules, the same for every listing:
/// - **Lazy.** Nothing is sent until `begin()`; each further page is fetched when iteration
///   reaches it. It is a single-pass input range (`std::ranges::input_range`); a `Listing` is a
///   handle, so copies share one position, and iterating again continues where the last
///   iteration stopped.
/// - **Errors end the listing.** A failed fetch (`ApiError`, `HttpError`, `TransportError`,
///   `ProtocolError`, `ValidationError`...) is thrown from `begin()`, `++` or the comparison with
///   `end()`; from then on every use of the listing (and of its copies and iterators) rethrows that
///   same error. Each page is already retried by the client's RetryPolicy before that, so a loop
///   that ends normally has seen every record, and a loop that throws never passes a partial list
///   off as whole. To start again, call the listing method again.
/// - **A repeated page ends the listing.** A page of a query that repeats the previous page of
///   the same query (the same records in the same order) while the server says more follow
///   throws `ProtocolError` ("repeats the previous page"): the server pages without progress.
/// - **At most `max_pages()` pages** (default `kDefaultMaxPages`, 10,000): when page N = the cap
///   is fetched and the server says more follow, the listing throws `ProtocolError` ("more than N
///   pages") instead of handing out that page or paging on. Set it with `max_pages(N)`.
/// - Not thread-safe: iterate one listing on one thread (different listings are independent).
///
///     for (const kmeet::Room& room : client.rooms().list_all()) { ... }
///     auto sessions = client.analytics().sessions(room).max_pages(50).to_vector();

#include <cstddef>
#include <cstdint>
#include <exception>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "kmeet/errors.hpp"

namespace kmeet {

/// The most pages a listing fetches unless `Listing::max_pages` says otherwise.
inline constexpr std::int64_t kDefaultMaxPages = 10'000;

template <class T>
class Listing;

namespace detail {

/// One page as a source fetched it (implemented inside kmeet).
template <class T>
struct FetchedPage {
  /// The records to hand out, in order (may be empty: the listing then fetches on).
  std::vector<T> items;
  /// True when no page follows.
  bool last = true;
  /// What the server says the whole listing holds, when it says so.
  std::optional<std::int64_t> total_count;
  /// True when this page is the next page of the same query as the previous one (the
  /// repeated-page rule compares only such pages).
  bool continues_query = false;
  /// The page as the server sent it, hashed (for the repeated-page rule).
  std::size_t fingerprint = 0;
};

/// Produces the pages of one listing (implemented inside kmeet).
template <class T>
class PageSource {
 public:
  virtual ~PageSource() = default;
  /// Fetches the next page; called only while the previous page was not the last.
  virtual FetchedPage<T> fetch() = 0;
  /// Where the listing is, for error messages (e.g. `KAF analytics/sessions page 3`).
  [[nodiscard]] virtual std::string where() const = 0;
};

/// Made by kmeet's listing methods; nothing is fetched until iteration starts.
template <class T>
Listing<T> make_listing(std::shared_ptr<PageSource<T>> source, std::int64_t max_pages = kDefaultMaxPages);

}  // namespace detail

/// A lazy, single-pass input range over every record a listing call matches (the rules are
/// in the file comment above).
template <class T>
class Listing {
  struct State;  // declared before the iterator names it (clang needs it in member declarations)

 public:
  class iterator {
   public:
    using iterator_category = std::input_iterator_tag;
    using iterator_concept = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using reference = const T&;
    using pointer = const T*;

    iterator() = default;
    reference operator*() const { return state_->page[state_->pos]; }
    pointer operator->() const { return &state_->page[state_->pos]; }
    iterator& operator++() {
      state_->check();
      ++state_->pos;
      state_->fill();
      return *this;
    }
    void operator++(int) { ++*this; }
    friend bool operator==(const iterator& it, std::default_sentinel_t /*end*/) {
      if (!it.state_) return true;
      it.state_->check();
      return it.state_->done && it.state_->pos >= it.state_->page.size();
    }

   private:
    friend class Listing;
    explicit iterator(std::shared_ptr<State> state) : state_(std::move(state)) {}
    std::shared_ptr<State> state_;
  };

  /// Fetches the first page on first use; later calls continue where iteration stopped.
  iterator begin() {
    if (!state_->started) {
      state_->started = true;
      state_->fill();
    }
    state_->check();
    return iterator(state_);
  }
  /// The end of the range (compares equal once every page was used up).
  [[nodiscard]] std::default_sentinel_t end() const { return {}; }

  /// Every (remaining) record, all pages fetched; throws like the iteration does.
  std::vector<T> to_vector() {
    std::vector<T> out;
    for (auto it = begin(); it != end(); ++it) out.push_back(*it);
    return out;
  }

  /// Caps the pages this listing fetches at `pages` (>= 1, else ValidationError `max_pages`);
  /// applies from the next fetch on. Returns a handle onto this same listing, so it can be
  /// chained: `for (auto& r : client.rooms().list_all().max_pages(100))`.
  Listing max_pages(std::int64_t pages) {
    if (pages < 1)
      throw ValidationError("max_pages", "must be at least 1 (got " + std::to_string(pages) + ")");
    state_->max_pages = pages;
    return *this;
  }
  /// The current cap (see max_pages(std::int64_t)).
  [[nodiscard]] std::int64_t max_pages() const { return state_->max_pages; }

  /// What the latest page fetched says the whole listing holds (`total_count` of KAF
  /// analytics); empty before the first page, or when the server did not say (`list_all`, whose
  /// pages each answer a different query, never says).
  [[nodiscard]] std::optional<std::int64_t> total_count() const { return state_->total; }
  /// Pages fetched so far.
  [[nodiscard]] std::size_t pages_fetched() const { return state_->pages; }

 private:
  friend Listing detail::make_listing<T>(std::shared_ptr<detail::PageSource<T>>, std::int64_t);
  Listing(std::shared_ptr<detail::PageSource<T>> source, std::int64_t max_pages)
      : state_(std::make_shared<State>(State{.source = std::move(source), .max_pages = max_pages})) {}

  struct State {
    std::shared_ptr<detail::PageSource<T>> source;
    std::int64_t max_pages = kDefaultMaxPages;
    std::vector<T> page;
    std::size_t pos = 0;
    bool started = false;
    bool done = false;
    std::size_t pages = 0;
    std::optional<std::int64_t> total;
    std::size_t previous_fingerprint = 0;
    std::exception_ptr failure;

    void check() const {
      if (failure) std::rethrow_exception(failure);
    }
    // Moves to the next record, fetching pages (skipping empty ones) as needed.
    void fill() {
      check();
      try {
        while (pos >= page.size() && !done) take(source->fetch());
      } catch (...) {
        failure = std::current_exception();
        page.clear();
        pos = 0;
        throw;
      }
    }
    // The rules every page is held to (file comment).
    void take(detail::FetchedPage<T> next) {
      ++pages;
      if (!next.last) {
        if (next.continues_query && next.fingerprint == previous_fingerprint) {
          throw ProtocolError(source->where() +
                              ": the page repeats the previous page although the server says more follow; "
                              "the server pages without progress");
        }
        if (static_cast<std::int64_t>(pages) >= max_pages) {
          throw ProtocolError(source->where() + ": more than " + std::to_string(max_pages) +
                              " pages (the cap, max_pages); refusing to page on");
        }
      }
      previous_fingerprint = next.fingerprint;
      page = std::move(next.items);
      pos = 0;
      total = next.total_count;
      done = next.last;
    }
  };
  std::shared_ptr<State> state_;
};

template <class T>
Listing<T> detail::make_listing(std::shared_ptr<PageSource<T>> source, std::int64_t max_pages) {
  return Listing<T>(std::move(source), max_pages);
}

}  // namespace kmeet
