#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <thread>
#include <vector>

#include "kmeet/errors.hpp"
#include "kmeet/testing/mock_transport.hpp"

namespace kmeet {
namespace {

using kmeet::testing::MockTransport;

HttpRequest request_to(std::string url, std::string body = "{}") {
  HttpRequest request;
  request.url = std::move(url);
  request.body = std::move(body);
  return request;
}

TEST(MockTransport, RepliesInOrderAndRecordsRequests) {
  MockTransport mock;
  HttpResponse not_found;
  not_found.status = 404;
  not_found.body = "gone";
  not_found.headers = {{"X-Me", "host-1"}};
  mock.reply_json(R"({"a":1})").reply(not_found);

  const auto first = mock.send(request_to("https://h/1", "one"));
  EXPECT_EQ(first.status, 200);
  EXPECT_EQ(first.body, R"({"a":1})");
  EXPECT_EQ(first.header("content-type"), "application/json");
  const auto second = mock.send(request_to("https://h/2", "two"));
  EXPECT_EQ(second.status, 404);
  EXPECT_EQ(second.body, "gone");
  EXPECT_EQ(second.header("x-me"), "host-1");

  EXPECT_EQ(mock.request_count(), 2U);
  const auto sent = mock.requests();
  ASSERT_EQ(sent.size(), 2U);
  EXPECT_EQ(sent[0].url, "https://h/1");
  EXPECT_EQ(sent[0].body, "one");
  EXPECT_EQ(mock.last_request().url, "https://h/2");
  EXPECT_EQ(mock.last_request().body, "two");
}

TEST(MockTransport, ScriptedFailureThrowsAndIsRecorded) {
  MockTransport mock;
  mock.fail([] { throw TransportError(TransportError::Kind::reset, "boom", true); }).reply_json("{}");
  try {
    mock.send(request_to("https://h/add"));
    FAIL() << "expected a TransportError";
  } catch (const TransportError& e) {
    EXPECT_EQ(e.kind(), TransportError::Kind::reset);
    EXPECT_TRUE(e.outcome_unknown());
  }
  EXPECT_EQ(mock.send(request_to("https://h/add")).status, 200);
  EXPECT_EQ(mock.request_count(), 2U);
}

TEST(MockTransport, FailureThatDoesNotThrowIsAScriptingError) {
  MockTransport mock;
  mock.fail([] {});
  EXPECT_THROW(mock.send(request_to("https://h/")), std::logic_error);
  EXPECT_THROW(mock.fail({}), std::invalid_argument);
}

TEST(MockTransport, ExhaustedScriptIsALogicError) {
  MockTransport mock;
  EXPECT_THROW((void)mock.last_request(), std::logic_error);
  mock.reply_json("{}");
  mock.send(request_to("https://h/"));
  EXPECT_THROW(mock.send(request_to("https://h/")), std::logic_error);
  EXPECT_EQ(mock.request_count(), 2U);
}

TEST(MockTransport, HandlerAnswersAfterTheQueue) {
  MockTransport mock([](const HttpRequest& r) {
    HttpResponse response;
    response.status = 200;
    response.body = "handled " + r.body;
    return response;
  });
  mock.reply_json("queued");
  EXPECT_EQ(mock.send(request_to("https://h/", "x")).body, "queued");
  EXPECT_EQ(mock.send(request_to("https://h/", "y")).body, "handled y");
  EXPECT_EQ(mock.send(request_to("https://h/", "z")).body, "handled z");
}

TEST(MockTransport, IsSafeToShareBetweenThreads) {
  MockTransport mock([](const HttpRequest& r) {
    HttpResponse response;
    response.status = 200;
    response.body = r.body;
    return response;
  });
  std::atomic<int> good{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 100; ++i) {
        const auto body = std::to_string(t * 1000 + i);
        if (mock.send(request_to("https://h/", body)).body == body) ++good;
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_EQ(good.load(), 400);
  EXPECT_EQ(mock.request_count(), 400U);
}

TEST(FindHeader, IsCaseInsensitiveAndFirstMatchWins) {
  const HttpHeaders headers = {{"Content-Type", "a"}, {"x-me", "b"}, {"CONTENT-TYPE", "c"}};
  EXPECT_EQ(find_header(headers, "content-type"), "a");
  EXPECT_EQ(find_header(headers, "X-Me"), "b");
  EXPECT_FALSE(find_header(headers, "X-Kaltura-Session").has_value());
  EXPECT_FALSE(find_header(headers, "Content-Typ").has_value());
  EXPECT_FALSE(find_header({}, "a").has_value());
}

}  // namespace
}  // namespace kmeet
