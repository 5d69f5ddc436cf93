// api_v3 `schedule_scheduleeventresource` (docs/protocol.md D.4, E.3).

#include "service.hpp"

namespace kmeet::emulator {

Json Call::link_json(const Link& l, std::int64_t partner) {
  Json j = Json::object();
  j["eventId"] = l.event_id;
  j["resourceId"] = l.resource_id;
  j["partnerId"] = partner;
  j["createdAt"] = l.created_at;
  j["updatedAt"] = l.updated_at;
  j["objectType"] = "KalturaScheduleEventResource";
  return j;
}

Link& Call::find_link(std::int64_t e, std::int64_t r) {
  const auto it = st.links.find({e, r});
  if (it == st.links.end()) {
    throw invalid_object_id(std::to_string(e) + "," + std::to_string(r));
  }
  return it->second;
}

Json Call::link_add() {
  Built b = build_object(object_param(params, "scheduleEventResource"), "KalturaScheduleEventResource", now);
  for (const char* f : {"eventId", "resourceId"}) {
    if (!b.props.contains(f)) {
      throw cannot_be_null(b.cls, f);
    }
  }
  check_read_only_on_insert(b);
  const std::int64_t e = json_intval(b.props["eventId"]);
  const std::int64_t r = json_intval(b.props["resourceId"]);
  if (!event_exists(e)) {
    throw api_error("SCHEDULE_EVENT_ID_NOT_FOUND", "Schedule event id [@ID@] not found",
                    {{"ID", std::to_string(e)}});
  }
  if (r != 0 && !resource_exists(r)) {
    throw api_error("SCHEDULE_RESOURCE_ID_NOT_FOUND", "Schedule resource id [@ID@] not found",
                    {{"ID", std::to_string(r)}});
  }
  if (st.links.count({e, r}) != 0) {
    throw api_error("SCHEDULE_EVENT_RESOURCE_ALREADY_EXISTS",
                    "Schedule event resource with event id [@EVENT_ID@] and resource id "
                    "[@RESOURCE_ID@] already exists",
                    {{"EVENT_ID", std::to_string(e)}, {"RESOURCE_ID", std::to_string(r)}});
  }
  Link l{e, r, now, now, st.next_link_seq++};
  st.links[{e, r}] = l;
  w.dirty = true;
  return link_json(l, w.cfg.partner_id);
}

Json Call::link_get() {
  const std::int64_t e = int_param(params, "scheduleEventId");
  const std::int64_t r = int_param(params, "scheduleResourceId");
  return link_json(find_link(e, r), w.cfg.partner_id);
}

Json Call::link_update() {
  const std::int64_t e = int_param(params, "scheduleEventId");
  const std::int64_t r = int_param(params, "scheduleResourceId");
  Link& l = find_link(e, r);
  Built b = build_object(object_param(params, "scheduleEventResource"), "KalturaScheduleEventResource", now);
  Json stored = link_json(l, w.cfg.partner_id);
  check_not_updatable_on_update(b, stored);
  l.updated_at = now;
  w.dirty = true;
  return link_json(l, w.cfg.partner_id);
}

Json Call::link_delete() {
  const std::int64_t e = int_param(params, "scheduleEventId");
  const std::int64_t r = int_param(params, "scheduleResourceId");
  find_link(e, r);
  st.links.erase({e, r});
  w.dirty = true;
  return nullptr;
}

Json Call::link_list() {
  const Json* filter = find_param(params, "filter");
  static const FieldTable table = {
      {"eventId", {VType::Int, {Op::Eq, Op::In}}},
      {"resourceId", {VType::Int, {Op::Eq, Op::In}}},
      {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
      {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}},
      {"eventIdOrItsParentId", {VType::Int, {Op::Eq}}},
  };
  const auto conds = parse_filter(filter, table, now);
  std::vector<const Link*> items;
  for (const auto& [k, l] : st.links) {
    const Link* lp = &l;
    const Getter get = [this, lp](const std::string& prop) -> std::optional<Json> {
      if (prop == "eventId") {
        return Json(lp->event_id);
      }
      if (prop == "resourceId") {
        return Json(lp->resource_id);
      }
      if (prop == "createdAt") {
        return Json(lp->created_at);
      }
      if (prop == "updatedAt") {
        return Json(lp->updated_at);
      }
      return std::nullopt;
    };
    const bool ok = std::all_of(conds.begin(), conds.end(), [&](const Condition& c) {
      if (c.prop == "eventIdOrItsParentId") {
        const std::int64_t want = c.value.get<std::int64_t>();
        if (lp->event_id == want) {
          return true;
        }
        const auto ev = st.events.find(lp->event_id);
        return ev != st.events.end() && json_intval(ev->second.props.value("parentId", Json(0))) == want;
      }
      return matches(c, get);
    });
    if (ok) {
      items.push_back(lp);
    }
  }
  std::sort(items.begin(), items.end(), [](const Link* a, const Link* b) { return a->seq < b->seq; });
  const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
  apply_order<const Link*>(items, order_by, {"createdAt", "updatedAt"},
                           [](const Link* const& l, const std::string& f) {
                             return Json(f == "createdAt" ? l->created_at : l->updated_at);
                           });
  const Pager p = parse_pager(params);
  Json objects = Json::array();
  const auto total = static_cast<std::int64_t>(items.size());
  for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
    objects.push_back(link_json(*items[i], w.cfg.partner_id));
  }
  const auto count = static_cast<std::int64_t>(objects.size());
  return list_response("KalturaScheduleEventResourceListResponse", std::move(objects),
                       estimated_total(p, count, total));
}

}  // namespace kmeet::emulator
