// list_all past the server's 10,000-result window, against a scripted server (MockTransport
// handler) that keeps > 10,000 objects, serves nothing beyond pageIndex*pageSize > 10000, caps
// idNotIn at 500 values and orders objects created in the same second differently for every
// distinct filter (like a database: no defined order for ties, but the same plan for the same query).
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <mutex>
#include <ranges>
#include <set>

#include "api/json.hpp"
#include "kmeet/errors.hpp"
#include "services/fixture.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

using detail::Json;
using testing_support::mock_config;

constexpr std::int64_t kBase = 1700000000;

struct Obj {
  std::int64_t id = 0;  // rooms/events: id; links: event id (resource id = id + 1)
  std::int64_t created = 0;
};

class FakeServer {
 public:
  explicit FakeServer(std::vector<Obj> objects) : objects_(std::move(objects)) {}

  HttpResponse handle(const HttpRequest& req) {
    std::lock_guard lock(mutex_);
    ++requests;
    Json body = Json::parse(req.body);
    const Json& filter = body.at("filter");
    const Json& pager = body.at("pager");
    EXPECT_EQ(pager.at("objectType"), "KalturaFilterPager");
    const std::int64_t size = pager.at("pageSize");
    const std::int64_t index = pager.at("pageIndex");
    EXPECT_GE(size, 1);
    EXPECT_LE(size, 500);
    EXPECT_EQ(filter.at("orderBy"), "+createdAt");
    bool links = req.url.find("scheduleeventresource") != std::string::npos;

    std::set<std::int64_t> not_in;
    if (filter.contains("idNotIn")) {
      std::string list = filter.at("idNotIn");
      std::size_t start = 0;
      int count = 0;
      while (start <= list.size()) {
        std::size_t comma = list.find(',', start);
        if (comma == std::string::npos) comma = list.size();
        if (++count <= 500) not_in.insert(std::stoll(list.substr(start, comma - start)));  // maxInValues
        start = comma + 1;
      }
      max_not_in = std::max<std::size_t>(max_not_in, static_cast<std::size_t>(count));
    }
    std::int64_t gte = filter.value("createdAtGreaterThanOrEqual", std::int64_t{0});
    std::int64_t lte = filter.value("createdAtLessThanOrEqual", std::numeric_limits<std::int64_t>::max());

    std::vector<Obj> match;
    for (const Obj& o : objects_) {
      if (o.created >= gte && o.created <= lte && not_in.count(o.id) == 0 && deleted.count(o.id) == 0)
        match.push_back(o);
    }
    // Ties in an order that depends on the filter (so every keyset step sees a new order).
    std::uint64_t salt = std::hash<std::string>{}(filter.dump()) * 0x9E3779B97F4A7C15ULL;
    std::sort(match.begin(), match.end(), [&](const Obj& a, const Obj& b) {
      if (a.created != b.created) return a.created < b.created;
      return (static_cast<std::uint64_t>(a.id) * 0xBF58476D1CE4E5B9ULL ^ salt) <
             (static_cast<std::uint64_t>(b.id) * 0xBF58476D1CE4E5B9ULL ^ salt);
    });
    Json out = Json::object();
    out["objects"] = Json::array();
    if (index * size > 10000) {
      ++beyond_window;  // not served
    } else {
      for (std::int64_t i = (index - 1) * size; i < std::min<std::int64_t>(index * size, static_cast<std::int64_t>(match.size())); ++i) {
        const Obj& o = match[static_cast<std::size_t>(i)];
        Json j;
        if (links) {
          j = {{"eventId", o.id}, {"resourceId", o.id + 1}, {"createdAt", o.created},
               {"objectType", "KalturaScheduleEventResource"}};
        } else if (req.url.find("scheduleevent/") != std::string::npos) {
          j = {{"id", o.id}, {"summary", "e"}, {"createdAt", o.created}, {"objectType", "KalturaRecordScheduleEvent"}};
        } else {
          j = {{"id", o.id}, {"name", "r"}, {"tags", "vcprovider:newrow"}, {"createdAt", o.created},
               {"objectType", "KalturaLocationScheduleResource"}};
        }
        out["objects"].push_back(j);
      }
    }
    out["totalCount"] = match.size();
    out["objectType"] = "KalturaScheduleResourceListResponse";
    HttpResponse r;
    r.status = 200;
    r.headers = {{"Content-Type", "application/json"}};
    r.body = out.dump();
    return r;
  }

  int requests = 0;
  int beyond_window = 0;
  std::size_t max_not_in = 0;
  std::set<std::int64_t> deleted;

 private:
  std::mutex mutex_;
  std::vector<Obj> objects_;
};

// 12,345 objects: mostly 3 per second, plus one burst of 1,200 created in the same second.
std::vector<Obj> population() {
  std::vector<Obj> v;
  std::int64_t id = 1;
  for (int i = 0; i < 11145; ++i, ++id) v.push_back({id, kBase + i / 3});
  for (int i = 0; i < 1200; ++i, ++id) v.push_back({id, kBase + 5000});  // joins an existing second
  return v;
}

struct ListFixture {
  std::shared_ptr<FakeServer> server = std::make_shared<FakeServer>(population());
  Client client{mock_config(std::make_shared<MockTransport>(
      [s = server](const HttpRequest& r) { return s->handle(r); }))};
};

template <class T, class Id>
void expect_each_once(const std::vector<T>& items, Id id_of, std::size_t expected) {
  std::map<std::int64_t, int> seen;
  for (const auto& item : items) ++seen[id_of(item)];
  EXPECT_EQ(items.size(), expected);
  EXPECT_EQ(seen.size(), expected);
  for (auto& [id, n] : seen) {
    if (n != 1) {
      ADD_FAILURE() << "object " << id << " returned " << n << " times";
      break;
    }
  }
}

TEST(ListAll, RoomsPastTheWindowWithoutGapsOrRepeats) {
  ListFixture s;
  std::vector<Room> rooms = s.client.rooms().list_all().to_vector();
  expect_each_once(rooms, [](const Room& r) { return r.id.value(); }, 12345);
  EXPECT_TRUE(std::is_sorted(rooms.begin(), rooms.end(),
                             [](const Room& a, const Room& b) { return *a.created_at < *b.created_at; }));
  EXPECT_EQ(s.server->beyond_window, 0);
  EXPECT_LE(s.server->max_not_in, 500U);
  EXPECT_LT(s.server->requests, 40);  // ~25 pages of 500 plus the burst's sweep
}

TEST(ListAll, EventsPastTheWindowWithoutGapsOrRepeats) {
  ListFixture s;
  std::vector<Event> events = s.client.events().list_all(EventFilter{}, 250).to_vector();
  expect_each_once(events, [](const Event& e) { return e.id.value(); }, 12345);
  EXPECT_EQ(s.server->beyond_window, 0);
}

static_assert(std::ranges::input_range<Listing<Room>>);
static_assert(std::input_iterator<Listing<Event>::iterator>);

TEST(ListAll, IsLazy) {
  ListFixture s;
  Listing<Room> all = s.client.rooms().list_all(RoomFilter{}, 100);
  EXPECT_EQ(s.server->requests, 0);
  auto it = all.begin();
  EXPECT_EQ(s.server->requests, 1);
  for (int i = 0; i < 150; ++i) ++it;
  EXPECT_EQ(s.server->requests, 2);
  EXPECT_EQ(it->id.value() > 0, true);
}

TEST(ListAll, ObjectsDeletedWhileListingDoNotShiftPages) {
  ListFixture s;
  Listing<Room> all = s.client.rooms().list_all();
  std::vector<std::int64_t> ids;
  for (auto it = all.begin(); it != all.end(); ++it) {
    ids.push_back(it->id.value());
    if (ids.size() == 700) {
      for (std::int64_t d = 1; d <= 300; ++d) s.server->deleted.insert(d);  // already returned
    }
  }
  EXPECT_EQ(ids.size(), 12345U);
  EXPECT_EQ(std::set<std::int64_t>(ids.begin(), ids.end()).size(), 12345U);
}

TEST(ListAll, RespectsTheUsersTimeWindowAndExclusions) {
  ListFixture s;
  RoomFilter f;
  f.created_at_gte = Timestamp(std::chrono::seconds(kBase + 100));
  f.created_at_lte = Timestamp(std::chrono::seconds(kBase + 199));
  f.id_not_in = {RoomId(301)};
  std::vector<Room> rooms = s.client.rooms().list_all(f).to_vector();
  EXPECT_EQ(rooms.size(), 299U);  // seconds 100..199, 3 per second, minus id 301
  for (const Room& r : rooms) {
    EXPECT_GE(*r.created_at, *f.created_at_gte);
    EXPECT_LE(*r.created_at, *f.created_at_lte);
    EXPECT_NE(r.id, RoomId(301));
  }
}

TEST(ListAll, LinksRestartTheWindowAtTheLastSecond) {
  ListFixture s;
  std::vector<EventRoomLink> links = s.client.links().list_all().to_vector();
  expect_each_once(links, [](const EventRoomLink& l) { return l.event_id.value(); }, 12345);
  EXPECT_EQ(s.server->beyond_window, 0);
}

TEST(ListAll, TooManyInOneSecondForLinksIsAClearError) {
  std::vector<Obj> same_second;
  for (std::int64_t id = 1; id <= 10100; ++id) same_second.push_back({id, kBase});
  auto server = std::make_shared<FakeServer>(same_second);
  Client client{mock_config(std::make_shared<MockTransport>([server](const HttpRequest& r) { return server->handle(r); }))};
  Listing<EventRoomLink> all = client.links().list_all();
  std::set<std::int64_t> seen;
  std::size_t n = 0;
  EXPECT_THROW(
      {
        for (auto it = all.begin(); it != all.end(); ++it) {
          seen.insert(it->event_id.value());
          ++n;
        }
      },
      Error);
  EXPECT_GE(n, 10000U);  // everything the server could serve, never a repeat
  EXPECT_EQ(seen.size(), n);
  EXPECT_EQ(server->beyond_window, 0);
}

TEST(ListAll, EmptyListing) {
  auto server = std::make_shared<FakeServer>(std::vector<Obj>{});
  Client client{mock_config(std::make_shared<MockTransport>([server](const HttpRequest& r) { return server->handle(r); }))};
  Listing<Room> all = client.rooms().list_all();
  EXPECT_TRUE(all.begin() == all.end());
  EXPECT_EQ(server->requests, 1);
}

}  // namespace
}  // namespace kmeet
