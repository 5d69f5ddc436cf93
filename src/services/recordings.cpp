// media.get / media.list of recordings, found through the event's template (protocol.md J.4).

#include "kmeet/recordings.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <thread>

#include "core/fiber.hpp"
#include "kmeet/events.hpp"
#include "kmeet/ks.hpp"
#include "kmeet/privileges.hpp"
#include "kmeet/sessions.hpp"
#include "model/recording_wire.hpp"
#include "model/validate.hpp"
#include "model/wire.hpp"
#include "services/list_all.hpp"
#include "services/service_call.hpp"

namespace kmeet {

RecordingWaitError::RecordingWaitError(Reason reason, std::string message, std::vector<Recording> last_seen)
    : Error(std::move(message)), reason_(reason), last_seen_(std::move(last_seen)) {}

namespace {

using detail::kMediaService;
using detail::make_call;

/// Templates per `rootEntryIdIn` list: a comma list that stays well inside what a server reads.
constexpr std::size_t kTemplatesPerList = 100;

/// The template -> event map of a listing: an event whose template no other listed event shares
/// (a template shared by several events cannot tell whose a recording is).
using TemplateEvents = std::map<std::string, std::optional<EventId>>;

void add_template(TemplateEvents& map, const std::string& tmpl, EventId event) {
  auto [it, fresh] = map.emplace(tmpl, event);
  if (!fresh && it->second != event) it->second.reset();
}

/// Every recording of `templates`: the event map is resolved on the first fetch (so errors come
/// from begin(), as for every Listing), then one windowed listing per chunk of templates.
class RecordingSource final : public detail::PageSource<Recording> {
 public:
  RecordingSource(Recordings self, std::function<TemplateEvents()> resolve, RecordingListOptions options)
      : self_(std::move(self)), resolve_(std::move(resolve)), options_(options) {}

  detail::FetchedPage<Recording> fetch() override {
    if (!map_) map_ = resolve_();  // a throw leaves nothing resolved: the next try starts over
    if (!current_) {
      if (at_ >= map_->size()) return {};  // no template: an empty last page
      current_ = chunk_source(at_);
    }
    detail::FetchedPage<Recording> page = current_->fetch();
    for (Recording& r : page.items) {
      auto it = map_->find(r.root_entry_id);
      if (it != map_->end()) r.event = it->second;
    }
    if (page.last) {
      current_.reset();
      at_ += kTemplatesPerList;
      page.last = at_ >= map_->size();
    }
    return page;
  }

  [[nodiscard]] std::string where() const override {
    return current_ ? fmt::format("recordings of templates {} on: {}", at_, current_->where())
                    : std::string("recordings");
  }

 private:
  std::unique_ptr<detail::WindowSource<Recording>> chunk_source(std::size_t at) {
    RecordingFilter base;
    auto it = std::next(map_->begin(), static_cast<std::ptrdiff_t>(at));
    for (std::size_t k = at; k < map_->size() && k < at + kTemplatesPerList; ++k, ++it)
      base.root_entry_id_in.push_back(it->first);
    if (base.root_entry_id_in.size() == 1) {
      base.root_entry_id = base.root_entry_id_in.front();  // rootEntryIdEqual, as the samples list (J.4)
      base.root_entry_id_in.clear();
    }
    if (options_.ready_only) {
      base.status = EntryStatus::ready;
      base.status_in.clear();
    }
    base.order_by = RecordingOrder::created_at_asc;
    auto fetch = [self = self_, base](const detail::ListQuery& q) {
      RecordingFilter f = base;
      f.created_at_gte = q.created_gte;
      return self.list(f, Pager{q.page_size, q.page_index}).items;
    };
    auto key = [](const Recording& r) { return r.id; };
    return std::make_unique<detail::WindowSource<Recording>>(fetch, key, "recordings", std::nullopt,
                                                             options_.page_size);
  }

  Recordings self_;
  std::function<TemplateEvents()> resolve_;
  RecordingListOptions options_;
  std::optional<TemplateEvents> map_;
  std::size_t at_ = 0;
  std::unique_ptr<detail::WindowSource<Recording>> current_;
};

std::string template_of(const Event& e) {
  if (!e.template_entry_id || e.template_entry_id->empty()) {
    throw Error(
        fmt::format("event {} has no recording template (its templateEntryId is empty): it was not "
                    "scheduled with recording, and kmeet finds recordings through the template "
                    "(docs/protocol.md J.4)",
                    e.id.value()));
  }
  return *e.template_entry_id;
}

void validate_options(const RecordingListOptions& o) {
  detail::validate_page_size(o.page_size, "options.page_size");
}

}  // namespace

Page<Recording> Recordings::list(const RecordingFilter& filter, const Pager& pager) const {
  detail::validate(filter);
  detail::validate(pager);
  return detail::recording_page_from_wire(ctx_->api.call(make_call(
      kMediaService, "list", detail::list_params(detail::to_wire(filter), detail::to_wire(pager)), true)));
}

Listing<Recording> Recordings::of_event(EventId event, const RecordingListOptions& options) const {
  detail::validate_id(event.value(), "event_id");
  validate_options(options);
  auto resolve = [ctx = ctx_, event] {
    TemplateEvents map;
    add_template(map, template_of(Events(ctx).get(event)), event);
    return map;
  };
  return detail::make_listing<Recording>(std::make_shared<RecordingSource>(*this, resolve, options));
}

Listing<Recording> Recordings::of_events(std::span<const EventId> events,
                                         const RecordingListOptions& options) const {
  validate_options(options);
  std::set<EventId> wanted;
  for (EventId e : events) {
    detail::validate_id(e.value(), "event_ids");
    wanted.insert(e);
  }
  if (wanted.size() > static_cast<std::size_t>(detail::kMaxPageSize)) {
    throw ValidationError(
        "event_ids", fmt::format("at most {} events at once (got {})", detail::kMaxPageSize, wanted.size()));
  }
  auto resolve = [ctx = ctx_, wanted] {
    TemplateEvents map;
    if (wanted.empty()) return map;
    EventFilter f;
    f.type = EventListType::any;  // record and meeting events alike
    f.id_in.assign(wanted.begin(), wanted.end());
    std::set<EventId> missing = wanted;
    for (const Event& e : Events(ctx).list(f, Pager{detail::kMaxPageSize, 1}).items) {
      missing.erase(e.id);
      if (e.template_entry_id && !e.template_entry_id->empty()) add_template(map, *e.template_entry_id, e.id);
    }
    if (!missing.empty()) {
      std::string ids;
      for (EventId id : missing) ids += (ids.empty() ? "" : ", ") + id.str();
      throw Error(fmt::format("no such event: {} (deleted events cannot be listed)", ids));
    }
    return map;
  };
  return detail::make_listing<Recording>(std::make_shared<RecordingSource>(*this, resolve, options));
}

Recording Recordings::get(const std::string& entry_id) const {
  detail::validate_entry_id(entry_id, "entry_id");
  detail::WireJson get = detail::WireJson::object();
  get["entryId"] = entry_id;
  // The event whose template is this entry's root, in the same round trip (protocol.md C.3).
  detail::WireJson filter = detail::WireJson::object();
  filter["objectType"] = "KalturaEntryScheduleEventFilter";
  filter["templateEntryIdEqual"] = detail::result_ref(1, "rootEntryId");
  const std::vector<detail::ApiCall> calls = {
      make_call(kMediaService, "get", std::move(get), true),
      make_call(detail::kEventService, "list",
                detail::list_params(std::move(filter), detail::to_wire(Pager{2, 1})), true)};
  const std::vector<detail::ItemResult> items = ctx_->api.multirequest(calls);
  if (!items.at(0).ok()) throw *items[0].error;
  Recording r = detail::recording_from_wire(items[0].value);
  // An empty rootEntryId makes the reference "" and the server drops an empty filter value
  // (protocol.md D.6): only an event that really names the root counts, and only one.
  if (items.at(1).ok() && !r.root_entry_id.empty()) {
    std::vector<EventId> owners;
    for (const Event& e : detail::event_page_from_wire(items[1].value).items) {
      if (e.template_entry_id == r.root_entry_id) owners.push_back(e.id);
    }
    if (owners.size() == 1) r.event = owners.front();
  }
  return r;
}

Recording Recordings::wait_until_ready(EventId event, std::chrono::milliseconds timeout,
                                       const WaitOptions& options) const {
  detail::validate_id(event.value(), "event_id");
  if (timeout.count() <= 0) throw ValidationError("timeout", "must be positive");
  if (options.first_interval.count() <= 0)
    throw ValidationError("options.first_interval", "must be positive");
  if (options.max_interval < options.first_interval) {
    throw ValidationError("options.max_interval", "must not be shorter than first_interval");
  }
  if (!(options.multiplier >= 1.0)) throw ValidationError("options.multiplier", "must be at least 1");
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  const std::string tmpl = template_of(Events(ctx_).get(event));
  std::chrono::milliseconds interval = options.first_interval;
  for (;;) {
    auto one_template = [tmpl, event] { return TemplateEvents{{tmpl, event}}; };
    std::vector<Recording> seen =
        detail::make_listing<Recording>(std::make_shared<RecordingSource>(*this, one_template, RecordingListOptions{}))
            .to_vector();
    const Recording* newest = nullptr;
    for (const Recording& r : seen) {
      if (r.ready() && (newest == nullptr || r.created_at > newest->created_at)) newest = &r;
    }
    if (newest != nullptr) return *newest;
    if (!seen.empty() &&
        std::all_of(seen.begin(), seen.end(), [](const Recording& r) { return is_failure(r.status); })) {
      std::string states;
      for (const Recording& r : seen)
        states += fmt::format("{}{} {}", states.empty() ? "" : ", ", r.id, to_string(r.status));
      throw RecordingWaitError(RecordingWaitError::Reason::failed,
                               fmt::format("every recording of event {} failed: {}", event.value(), states),
                               std::move(seen));
    }
    const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now());
    if (left.count() <= 0) {
      throw RecordingWaitError(
          RecordingWaitError::Reason::timed_out,
          fmt::format("no recording of event {} was ready within {} s ({} seen, none READY)", event.value(),
                      std::chrono::duration_cast<std::chrono::seconds>(timeout).count(), seen.size()),
          std::move(seen));
    }
    detail::sleep_until(Clock::now() + std::min(interval, left));  // a fiber suspends (core/fiber.hpp)
    interval =
        std::min(options.max_interval, std::chrono::milliseconds(static_cast<std::int64_t>(
                                           static_cast<double>(interval.count()) * options.multiplier)));
  }
}

std::string Recordings::play_url(const Recording& recording, PlayFormat format,
                                 const PlayUrlOptions& options) const {
  std::optional<std::string> base = url_base(recording.data_url);
  if (!base) base = url_base(recording.download_url);
  const PartnerId partner = recording.partner_id.value_or(ctx_->partner_id);
  return play_manifest_url(base.value_or(ctx_->api.settings().service_url), partner, recording.id, format, options);
}

std::string Recordings::thumbnail(const Recording& recording, std::optional<ThumbnailSize> size) const {
  if (recording.thumbnail_url.empty() || !url_base(recording.thumbnail_url)) {
    std::optional<std::string> base = url_base(recording.data_url);
    const PartnerId partner = recording.partner_id.value_or(ctx_->partner_id);
    return thumbnail_url(base.value_or(ctx_->api.settings().service_url), partner, recording.id, std::nullopt, size);
  }
  std::string url = recording.thumbnail_url;
  if (size) {
    if (size->width <= 0 || size->height <= 0) {
      throw ValidationError(
          "size", fmt::format("width and height must be positive (got {}x{})", size->width, size->height));
    }
    while (!url.empty() && url.back() == '/') url.pop_back();
    url += fmt::format("/width/{}/height/{}/type/3", size->width, size->height);
  }
  return url;
}

std::string Recordings::playback_ks(const std::string& entry_id, const PlaybackKsOptions& options) const {
  detail::validate_entry_id(entry_id, "entry_id");
  validate_user_id(options.user_id, "options.user_id");
  if (options.user_id.empty()) throw ValidationError("options.user_id", "must not be empty");
  if (options.ttl.count() <= 0) throw ValidationError("options.ttl", "must be positive");
  Privileges p;
  p.server(ServerPrivilege::sview, entry_id);
  // From whatever credential the client has: minted locally, the app token, or session.start.
  ctx_->issuer->check("playback");
  return ctx_->issuer
      ->issue(detail::PersonKsRequest{.type = SessionType::user,
                                      .user_id = options.user_id,
                                      .privileges = p.str(),
                                      .ttl = options.ttl,
                                      .via_api = false,
                                      .purpose = "playback"})
      .ks;
}

}  // namespace kmeet
