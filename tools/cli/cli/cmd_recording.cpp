#include "cli/cmd_recording.hpp"
#include "cli/command.hpp"
#include "cli/commands.hpp"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <memory>
#include <string>

#include "cli/safe_text.hpp"
#include "cli/timefmt.hpp"
#include "cli/usage.hpp"
#include "kmeet/errors.hpp"
#include "kmeet/events.hpp"

namespace kmeet::cli {
namespace {

struct RecordingOpts {
  std::int64_t event = 0;
  std::string entry_id;
  bool ready = false;
  bool all = false;
  int page_size = 100;
  int page = 1;
  std::string format = "url";
  bool with_ks = false;
  std::string ks_ttl = "24h";
  std::string timeout = "2h";
  std::string poll = "5s";
};

const CLI::Validator kId(
    [](std::string& text) { return parse_positive_id(text) ? std::string() : bad_id_reason(text); }, "", "id");

/// J.5: the status as the server sent it, a number for the core values.
Json status_value(const Recording& r) {
  if (auto n = parse_positive_id(r.status_text); n || r.status_text == "0") return Json(n.value_or(0));
  if (r.status_text.size() > 1 && r.status_text[0] == '-') {
    if (auto n = parse_positive_id(r.status_text.substr(1))) return Json(-*n);
  }
  return r.status_text.empty() ? Json(nullptr) : Json(r.status_text);
}

Json text_or_null(const std::string& s) { return s.empty() ? Json(nullptr) : Json(s); }

const std::vector<Column>& recording_columns() {
  static const std::vector<Column> c = {{"id", "ID"},           {"name", "NAME"},         {"statusName", "STATUS"},
                                        {"duration", "SECONDS"}, {"createdAt", "CREATED"}, {"eventId", "EVENT"}};
  return c;
}

int recording_list(Ctx& ctx, const RecordingOpts& o) {
  Recordings recordings = ctx.client().recordings();
  const EventId event{o.event};
  Json out = Json::array();
  if (o.all) {
    for (const Recording& r : recordings.of_event(event, RecordingListOptions{.ready_only = o.ready, .page_size = o.page_size})) {
      out.push_back(recording_json(r));
    }
  } else {
    const Event e = ctx.client().events().get(event);
    if (!e.template_entry_id || e.template_entry_id->empty()) {
      throw Error(fmt::format("event {} has no recording template: it was not scheduled with recording (event create "
                              "--record, import column record)",
                              o.event));
    }
    RecordingFilter f;
    f.root_entry_id = *e.template_entry_id;
    if (o.ready) {
      f.status = EntryStatus::ready;
      f.status_in.clear();
    }
    f.order_by = RecordingOrder::created_at_asc;
    for (Recording& r : recordings.list(f, Pager{o.page_size, o.page}).items) {
      r.event = event;
      out.push_back(recording_json(r));
    }
  }
  ctx.print_list(out, recording_columns());
  return kOk;
}

int recording_get(Ctx& ctx, const RecordingOpts& o) {
  ctx.print(recording_json(ctx.client().recordings().get(o.entry_id)));
  return kOk;
}

int recording_url(Ctx& ctx, const RecordingOpts& o) {
  Recordings recordings = ctx.client().recordings();
  const Recording r = recordings.get(o.entry_id);
  const PlayFormat format = parse_play_format(o.format).value_or(PlayFormat::url);
  PlayUrlOptions options;
  if (o.with_ks) {
    // A USER KS limited to this entry, never the admin KS: the link may be handed out.
    options.ks = recordings.playback_ks(r.id, PlaybackKsOptions{.ttl = parse_duration(o.ks_ttl, "--ks-ttl")});
  }
  const std::string url = recordings.play_url(r, format, options);
  if (!r.ready()) {
    ctx.warn(fmt::format("recording {} is {}, not playable yet (the URL answers 404 until it is READY)", r.id,
                         to_string(r.status)));
  }
  if (ctx.format == Format::table) {
    ctx.io.out << url << '\n';
    return kOk;
  }
  Json j;
  j["url"] = url;
  j["entryId"] = r.id;
  // The CLI's own names (url|download|hls|dash, docs/cli.md); the URL carries the wire name.
  j["format"] = format == PlayFormat::applehttp ? "hls" : format == PlayFormat::mpegdash ? "dash" : std::string(to_string(format));
  j["status"] = status_value(r);
  if (o.with_ks) j["ksExpiresAt"] = (ctx.now + parse_duration(o.ks_ttl, "--ks-ttl")).time_since_epoch().count();
  ctx.print(j);
  return kOk;
}

int recording_wait(Ctx& ctx, const RecordingOpts& o) {
  WaitOptions w;
  w.first_interval = parse_duration(o.poll, "--poll");
  w.max_interval = std::max(w.max_interval, w.first_interval);
  const Recording r = ctx.client().recordings().wait_until_ready(EventId{o.event}, parse_duration(o.timeout, "--timeout"), w);
  ctx.print(recording_json(r));
  return kOk;
}

void add_list(CLI::App* group, std::vector<Leaf>& leaves, const std::shared_ptr<RecordingOpts>& o) {
  CLI::App* l = group->add_subcommand("list", "the recordings of an event, in every state (converting, ready, failed)");
  l->footer(examples({"kmeet recording list --event 77", "kmeet recording list --event 77 --ready --all -o json"}));
  l->add_option("--event", o->event, "event id (scheduled with --record)")->required()->check(kId);
  l->add_flag("--ready", o->ready, "only recordings that can be played (status READY)");
  l->add_flag("--all", o->all, "every recording, page after page");
  l->add_option("--page-size", o->page_size, "recordings per page (1..500)")->check(CLI::Range(1, 500))->capture_default_str();
  l->add_option("--page", o->page, "page number, from 1")->check(CLI::Range(1, 100000))->capture_default_str();
  leaves.emplace_back(l, [o](Ctx& ctx) { return recording_list(ctx, *o); });
}

void add_url(CLI::App* group, std::vector<Leaf>& leaves, const std::shared_ptr<RecordingOpts>& o) {
  CLI::App* u = group->add_subcommand("url", "a playback or download URL of a recording (playManifest)");
  u->footer(examples({"kmeet recording url 1_9vga7lbm", "kmeet recording url 1_9vga7lbm --format hls",
                      "kmeet recording url 1_9vga7lbm --format download --with-ks --ks-ttl 7d"}) +
            "\nFormats: url (progressive), download (the source file), hls, dash.\n"
            "--with-ks appends a USER KS allowed to view this entry only (sview), for accounts whose access\n"
            "control demands one; kmeet never puts its admin KS into a URL.\n");
  u->add_option("ENTRY_ID", o->entry_id, "recording entry id")->required();
  u->add_option("--format", o->format, "url, download, hls or dash")
      ->check(CLI::IsMember({"url", "download", "hls", "dash", "applehttp", "mpegdash"}))
      ->capture_default_str();
  u->add_flag("--with-ks", o->with_ks, "append a playback KS limited to this entry");
  u->add_option("--ks-ttl", o->ks_ttl, "lifetime of that KS, e.g. 7d")->capture_default_str();
  leaves.emplace_back(u, [o](Ctx& ctx) { return recording_url(ctx, *o); });
}

void add_wait(CLI::App* group, std::vector<Leaf>& leaves, const std::shared_ptr<RecordingOpts>& o) {
  CLI::App* w = group->add_subcommand("wait", "wait until a recording of the event is READY (exit 0), or fails / times out (exit 1)");
  w->footer(examples({"kmeet recording wait --event 77", "kmeet recording wait --event 77 --timeout 30m -o json | jq -r .dataUrl"}));
  w->add_option("--event", o->event, "event id")->required()->check(kId);
  w->add_option("--timeout", o->timeout, "give up after this long, e.g. 2h")->capture_default_str();
  w->add_option("--poll", o->poll, "wait between the first two looks; later waits grow to 60s")->capture_default_str();
  leaves.emplace_back(w, [o](Ctx& ctx) { return recording_wait(ctx, *o); });
}

}  // namespace

Json recording_json(const Recording& r) {
  Json j;
  j["id"] = r.id;
  j["name"] = r.name;
  j["status"] = status_value(r);
  j["duration"] = r.duration ? Json(r.duration->count()) : Json(nullptr);
  j["rootEntryId"] = text_or_null(r.root_entry_id);
  j["dataUrl"] = text_or_null(r.data_url);
  j["downloadUrl"] = text_or_null(r.download_url);
  j["thumbnailUrl"] = text_or_null(r.thumbnail_url);
  j["createdAt"] = r.created_at ? Json(r.created_at->time_since_epoch().count()) : Json(nullptr);
  j["statusName"] = std::string(to_string(r.status));
  j["eventId"] = r.event ? Json(r.event->value()) : Json(nullptr);
  if (r.updated_at) j["updatedAt"] = r.updated_at->time_since_epoch().count();
  if (r.ms_duration) j["msDuration"] = r.ms_duration->count();
  if (r.owner_id) j["userId"] = *r.owner_id;
  if (r.description) j["description"] = *r.description;
  if (r.tags) j["tags"] = *r.tags;
  if (r.categories_ids) j["categoriesIds"] = *r.categories_ids;
  if (r.reference_id) j["referenceId"] = *r.reference_id;
  if (r.partner_id) j["partnerId"] = r.partner_id->value();
  if (!r.object_type.empty()) j["objectType"] = r.object_type;
  return j;
}

void add_recording_commands(CLI::App& app, std::vector<Leaf>& leaves) {
  auto o = std::make_shared<RecordingOpts>();
  CLI::App* group = app.add_subcommand("recording", "find recordings of recorded sessions, their URLs, wait for them");
  group->require_subcommand(1);
  group->footer(examples({"kmeet event create --room 42 --summary Algebra --start +1h --end +2h --record",
                          "kmeet recording wait --event 77 && kmeet recording list --event 77 --ready",
                          "kmeet recording url 1_9vga7lbm --format download"}));
  add_list(group, leaves, o);
  CLI::App* g = group->add_subcommand("get", "show one recording entry");
  g->footer(examples({"kmeet recording get 1_9vga7lbm -o json"}));
  g->add_option("ENTRY_ID", o->entry_id, "recording entry id")->required();
  leaves.emplace_back(g, [o](Ctx& ctx) { return recording_get(ctx, *o); });
  add_url(group, leaves, o);
  add_wait(group, leaves, o);
}

void register_recording(Commands& commands) {
  std::vector<Leaf> leaves;
  add_recording_commands(*commands.top(), leaves);
  for (auto& [leaf, handler] : leaves) commands.adopt(leaf, std::move(handler));
}

}  // namespace kmeet::cli
