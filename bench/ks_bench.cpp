// KS minting / verification / URL building throughput (docs/performance.md, "KS minting").
#include <benchmark/benchmark.h>

#include <array>
#include <vector>

#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/urls.hpp"

namespace {

using kmeet::KsParams;
using kmeet::KsSigner;
using kmeet::PartnerId;
using kmeet::Timestamp;

const std::string kSecret = "0123456789abcdef0123456789abcdef";

KsParams attendee() {
  return KsParams{.partner_id = PartnerId(1234567),
                  .type = kmeet::SessionType::user,
                  .user_id = "max@organization.com",
                  .privileges = "eventId:3371011,role:viewerRole,userContextualRole:3,firstName:Max",
                  .expires_at = Timestamp(std::chrono::seconds(1700000000))};
}

// Default random source: OpenSSL's CSPRNG, as in production.
void BM_MintV2(benchmark::State& state) {
  const KsSigner signer(kSecret);
  const KsParams params = attendee();
  for (auto _ : state) benchmark::DoNotOptimize(signer.mint_v2(params));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MintV2);

void BM_MintV2FixedRandom(benchmark::State& state) {
  const KsSigner signer(kSecret, [](std::span<std::uint8_t> out) { std::fill(out.begin(), out.end(), 7); });
  const KsParams params = attendee();
  for (auto _ : state) benchmark::DoNotOptimize(signer.mint_v2(params));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MintV2FixedRandom);

void BM_MintV1(benchmark::State& state) {
  const KsSigner signer(kSecret);
  const KsParams params = attendee();
  for (auto _ : state) benchmark::DoNotOptimize(signer.mint_v1(params, 12345));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_MintV1);

void BM_VerifyV2(benchmark::State& state) {
  const KsSigner signer(kSecret);
  const std::string ks = signer.mint_v2(attendee());
  const std::vector<std::string> secrets{kSecret};
  const Timestamp now(std::chrono::seconds(1600000000));
  for (auto _ : state) benchmark::DoNotOptimize(kmeet::Ks::verify(ks, PartnerId(1234567), secrets, now));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_VerifyV2);

void BM_PrivilegesBuild(benchmark::State& state) {
  for (auto _ : state) {
    kmeet::Privileges p;
    p.event_id(kmeet::EventId(3371011))
        .role(kmeet::Role::attendee)
        .contextual_role(kmeet::ContextualRole::attendee)
        .first_name("Max")
        .last_name("Mustermann")
        .email("max@organization.com");
    benchmark::DoNotOptimize(p.str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_PrivilegesBuild);

void BM_LaunchUrl(benchmark::State& state) {
  const KsSigner signer(kSecret);
  const std::string ks = signer.mint_v2(attendee());
  const std::string base = kmeet::kaf_base_url(PartnerId(1234567));
  for (auto _ : state) benchmark::DoNotOptimize(kmeet::launch_url(base, ks));
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LaunchUrl);

// The whole join flow minus the network: privileges, KS v2, launch URL.
void BM_JoinUrlEndToEnd(benchmark::State& state) {
  const KsSigner signer(kSecret);
  const std::string base = kmeet::kaf_base_url(PartnerId(1234567));
  for (auto _ : state) {
    kmeet::Privileges p;
    p.event_id(kmeet::EventId(3371011)).role(kmeet::Role::attendee).contextual_role(kmeet::ContextualRole::attendee)
        .first_name("Max");
    KsParams params{.partner_id = PartnerId(1234567), .user_id = "max@organization.com", .privileges = p.str(),
                    .expires_at = Timestamp(std::chrono::seconds(1700000000))};
    benchmark::DoNotOptimize(kmeet::launch_url(base, signer.mint_v2(params)));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_JoinUrlEndToEnd);

}  // namespace
