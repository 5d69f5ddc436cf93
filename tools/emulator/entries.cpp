// api_v3 `media` and `baseentry` (docs/protocol.md J.3-J.5).

#include "entries.hpp"

namespace kmeet::emulator {

namespace {

ApiError entry_not_found(const std::string& id) {
  return api_error("ENTRY_ID_NOT_FOUND", "Entry id \"@ENTRY_ID@\" not found", {{"ENTRY_ID", id}});
}

std::int64_t status_of(const StoredObject& o) { return json_intval(o.props.value("status", Json(0))); }

/// J.3: a non-admin KS may not name another owner (INVALID_KS, KSID "", -4 INVALID_TYPE).
void check_owner(const Call& c, Json& props) {
  const bool admin = c.ks && c.ks->info.type == SessionType::admin;
  const auto it = props.find("userId");
  if (it != props.end() && !admin && json_strval(*it) != c.ks_user()) {
    throw api_error("INVALID_KS", "Invalid KS \"@KSID@\", Error \"@ERR_CODE@,@ERR_DESC@\"",
                    {{"KSID", ""}, {"ERR_CODE", "-4"}, {"ERR_DESC", "INVALID_TYPE"}});
  }
  if ((it == props.end() || json_strval(*it).empty()) && !c.ks_user().empty()) props["userId"] = c.ks_user();
  if (props.contains("userId")) props["creatorId"] = props["userId"];
}

/// J.3: every category must exist. The emulator keeps no categories: a whole number is taken to
/// name one (docs/emulator.md), anything else does not exist.
void check_categories(const Json& props) {
  const auto it = props.find("categoriesIds");
  if (it == props.end()) return;
  for (const auto& part : split(json_strval(*it), ',')) {
    const std::string id = trim(part);
    if (id.empty() || !is_integer_string(id) || id[0] == '-' || id[0] == '+') {
      throw api_error("CATEGORY_NOT_FOUND", "Category id \"@ID@\" not found", {{"ID", id}});
    }
  }
}

Json media_add(Call& c) {
  Built b = build_object(object_param(c.params, "entry"), "KalturaMediaEntry", c.now);
  check_read_only_on_insert(b);
  Json props = b.props;
  check_owner(c, props);
  if (props.contains("referenceId") && json_strval(props["referenceId"]).size() < 2) {
    throw api_error("PROPERTY_VALIDATION_MIN_LENGTH",
                    "The property \"@PROP_NAME@\" must have a min length of @MIN_LEN@ characters",
                    {{"PROP_NAME", prop_label(b.cls, "referenceId")}, {"MIN_LEN", "2"}});
  }
  check_categories(props);
  if (json_strval(props.value("name", Json(""))).empty()) {
    props["name"] = std::to_string(c.w.cfg.partner_id) + "_" + std::to_string(c.now);  // J.3
  }
  const std::string id = new_entry_id(c.st);
  props["id"] = id;
  props["partnerId"] = c.w.cfg.partner_id;
  props["status"] = 7;  // NO_CONTENT: a template never becomes READY (J.3)
  props["moderationStatus"] = 6;
  props["moderationCount"] = 0;
  props["type"] = 1;
  props["createdAt"] = c.now;
  props["updatedAt"] = c.now;
  for (const char* zero : {"rank", "totalRank", "votes", "version", "plays", "views", "duration", "msDuration"}) {
    props[zero] = 0;
  }
  props["licenseType"] = -1;
  props["rootEntryId"] = id;
  props["__seq"] = c.st.next_entry_seq;
  set_entry_urls(c.w, props, id, false);
  c.st.entries[id] = StoredObject{b.cls, props};
  c.w.dirty = true;
  return entry_json(c.st.entries[id]);
}

StoredObject& entry_param(Call& c) {
  const std::string id = str_param(c.params, "entryId");
  if (id.empty()) throw missing_parameter("entryId");
  StoredObject* o = active_entry(c.st, id);
  if (o == nullptr) throw entry_not_found(id);
  return *o;
}

Json entry_delete(Call& c) {
  StoredObject& o = entry_param(c);
  o.props["status"] = 3;
  o.props["updatedAt"] = c.now;
  c.w.dirty = true;
  return nullptr;
}

const FieldTable& entry_fields() {
  static const FieldTable t = {
      {"id", {VType::String, {Op::Eq, Op::In, Op::NotIn}}},
      {"name", {VType::String, {Op::Eq, Op::Like}}},
      {"referenceId", {VType::String, {Op::Eq, Op::In}}},
      {"rootEntryId", {VType::String, {Op::Eq, Op::In}}},
      {"parentEntryId", {VType::String, {Op::Eq}}},
      // Compared as text: a plugin status (`virusScan.Infected`) is not the number 0 (J.5).
      {"status", {VType::String, {Op::Eq, Op::In, Op::NotIn}}},
      {"moderationStatus", {VType::Int, {Op::Eq, Op::In, Op::NotIn}}},
      {"userId", {VType::String, {Op::Eq, Op::In}}},
      {"tags", {VType::String, {Op::Like, Op::MLikeOr, Op::MLikeAnd}}},
      {"mediaType", {VType::Int, {Op::Eq, Op::In}}},
      {"createdAt", {VType::Time, {Op::Gte, Op::Lte}}},
      {"updatedAt", {VType::Time, {Op::Gte, Op::Lte}}},
  };
  return t;
}

/// `categoriesIdsMatchOr` / `categoriesIdsMatchAnd` (J.4 "By category"): the entry's category ids
/// against a comma list.
bool categories_match(const Json* filter, const StoredObject& o) {
  if (filter == nullptr) return true;
  const std::vector<std::string> mine = split(json_strval(o.props.value("categoriesIds", Json(""))), ',');
  const auto has = [&](const std::string& id) { return std::find(mine.begin(), mine.end(), trim(id)) != mine.end(); };
  for (const char* key : {"categoriesIdsMatchOr", "categoriesIdsMatchAnd"}) {
    const std::string list = str_param(*filter, key);
    if (list.empty()) continue;
    const auto wanted = split(list, ',');
    const bool any = std::any_of(wanted.begin(), wanted.end(), has);
    const bool all = std::all_of(wanted.begin(), wanted.end(), has);
    if (std::string(key).ends_with("Or") ? !any : !all) return false;
  }
  return true;
}

struct EntryQuery {
  std::vector<Condition> conds;
  bool defaults = true;  ///< the server's default conditions apply (J.4: not with idEqual)
  bool status_given = false;
  bool root_filter = false;  ///< rootEntryIdEqual/In: the template itself never matches (J.4)
  std::int64_t is_root = -1;  ///< KalturaNullableBoolean: -1 unset, 0 false, 1 true
};

EntryQuery parse_entry_query(const Call& c, const Json* filter) {
  EntryQuery q;
  q.conds = parse_filter(filter, entry_fields(), c.now);
  for (const Condition& cond : q.conds) {
    if (cond.prop == "id" && cond.op == Op::Eq) q.defaults = false;
    if (cond.prop == "status") q.status_given = true;
    if (cond.prop == "rootEntryId") q.root_filter = true;
  }
  if (filter != nullptr) {
    const std::string r = str_param(*filter, "isRoot");
    if (!r.empty()) q.is_root = json_intval(Json(r));
  }
  return q;
}

bool entry_matches(const EntryQuery& q, const StoredObject& o, const std::string& id, const Json* filter) {
  const std::string root = json_strval(o.props.value("rootEntryId", Json("")));
  const bool is_root = root.empty() || root == id;
  if (status_of(o) == 3) return false;  // deleted entries are never listed
  if (q.root_filter && is_root) return false;
  if ((q.is_root == 1 && !is_root) || (q.is_root == 0 && is_root)) return false;
  if (q.defaults) {
    if (!q.status_given && status_of(o) != 2) return false;  // J.4: READY only unless a status filter is sent
    const std::int64_t m = json_intval(o.props.value("moderationStatus", Json(6)));
    if (m == 1 || m == 3) return false;
  }
  if (!categories_match(filter, o)) return false;
  const Getter get = [&o](const std::string& prop) -> std::optional<Json> {
    const auto it = o.props.find(prop);
    return it == o.props.end() ? std::nullopt : std::optional<Json>(*it);
  };
  return std::all_of(q.conds.begin(), q.conds.end(), [&](const Condition& cond) { return matches(cond, get); });
}

Json entry_list(Call& c, const char* response_type) {
  const Json* filter = find_param(c.params, "filter");
  const EntryQuery q = parse_entry_query(c, filter);
  std::vector<const StoredObject*> items;
  for (const auto& [id, o] : c.st.entries) {
    if (entry_matches(q, o, id, filter)) items.push_back(&o);
  }
  // Creation order unless asked otherwise.
  std::sort(items.begin(), items.end(), [](const StoredObject* a, const StoredObject* b) {
    return json_intval(a->props.value("__seq", Json(0))) < json_intval(b->props.value("__seq", Json(0)));
  });
  const std::string order_by = filter != nullptr ? str_param(*filter, "orderBy") : std::string();
  apply_order<const StoredObject*>(items, order_by, {"createdAt", "updatedAt", "name", "duration"},
                                   [](const StoredObject* const& o, const std::string& f) { return o->props.value(f, Json()); });
  const Pager p = parse_pager(c.params);
  Json objects = Json::array();
  const auto total = static_cast<std::int64_t>(items.size());
  for (std::int64_t i = (p.index - 1) * p.size; i < total && i < p.index * p.size; ++i) {
    objects.push_back(entry_json(*items[static_cast<std::size_t>(i)]));
  }
  return list_response(response_type, std::move(objects), total);
}

}  // namespace

Json entry_json(const StoredObject& entry) {
  std::vector<const ClassInfo*> chain;  // most derived first
  for (const ClassInfo* ci = find_class(entry.cls); ci != nullptr;
       ci = ci->parent.empty() ? nullptr : find_class(ci->parent)) {
    chain.push_back(ci);
  }
  Json out = Json::object();
  for (const ClassInfo* ci : chain) {
    for (const Prop& pr : ci->own) {
      const auto it = entry.props.find(pr.name);
      if (it != entry.props.end() && !it->is_null()) out[pr.name] = *it;
    }
  }
  out["objectType"] = entry.cls;
  return out;
}

std::string new_entry_id(State& st) {
  // An affine map modulo 36^8 with a factor prime to 2 and 3 is a bijection: the ids look random
  // but never repeat (and seq x factor stays within 64 bits).
  constexpr std::int64_t kSpace = 2821109907456;  // 36^8
  std::int64_t v = ((st.next_entry_seq++ % kSpace) * 2999999 + 1234567891) % kSpace;
  std::string s(8, '0');
  for (int i = 7; i >= 0; --i) {
    s[static_cast<std::size_t>(i)] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % 36];
    v /= 36;
  }
  return "0_" + s;
}

StoredObject* active_entry(State& st, const std::string& id) {
  const auto it = st.entries.find(id);
  if (it == st.entries.end() || status_of(it->second) == 3) return nullptr;
  return &it->second;
}

std::string partner_url(const World& w) {
  const std::string pid = std::to_string(w.cfg.partner_id);
  return w.public_base + "/p/" + pid + "/sp/" + pid + "00";
}

void set_entry_urls(const World& w, Json& props, const std::string& id, bool has_content) {
  const std::string proto = w.public_base.rfind("https://", 0) == 0 ? "https" : "http";
  const std::string base = partner_url(w);
  props["downloadUrl"] = base + "/playManifest/entryId/" + id + "/format/download/protocol/" + proto + "/flavorParamIds/0";
  if (!has_content) return;
  props["dataUrl"] = base + "/playManifest/entryId/" + id + "/format/url/protocol/" + proto;
  props["thumbnailUrl"] = base + "/thumbnail/entry_id/" + id + "/version/100001";
}

Json entry_action(Call& c) {
  advance_recordings(c.w, c.now);
  if (c.action == "add") return media_add(c);
  if (c.action == "get") return entry_json(entry_param(c));
  if (c.action == "delete") return entry_delete(c);
  return entry_list(c, c.service == "media" ? "KalturaMediaListResponse" : "KalturaBaseEntryListResponse");
}

}  // namespace kmeet::emulator
