#pragma once
// The Kaltura classes the emulator knows: properties in the server's order, flags, enum
// checks; building objects from request parameters and serializing them back (A.5, B.1, E).

#include <cstdint>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "common.hpp"

namespace kmeet::emulator {

enum class PType { Int, String, Float, Time, Enum, Object, Array, Bool };

struct Prop {
  std::string name;
  PType type = PType::String;
  bool read_only = false;
  bool insert_only = false;
  std::string enum_type;              ///< for Enum
  std::vector<std::int64_t> enum_values;
  std::string object_class;           ///< for Object
};

struct ClassInfo {
  std::string name;
  std::string parent;
  bool abstract = false;
  std::vector<Prop> own;
};

const ClassInfo* find_class(std::string_view name);
/// True when `cls` is `base` or derives from it.
bool is_subclass(std::string_view cls, std::string_view base);
/// Every property of the class, base class properties first.
std::vector<const Prop*> props_of(std::string_view cls);
const Prop* find_prop(std::string_view cls, std::string_view name);

/// An object as the deserializer produced it: concrete class, the properties that were set
/// (cast to their types) and the properties explicitly nulled with `__null`.
struct Built {
  std::string cls;
  Json props = Json::object();
  std::set<std::string> nulls;
};

/// SRV `KalturaRequestDeserializer::buildObject`: objectType honoured only for subclasses of
/// `declared`; abstract -> OBJECT_TYPE_ABSTRACT; unknown properties ignored; values cast;
/// `time` values relative to `now` when small (A.6); enums checked.
Built build_object(const Json& in, std::string_view declared, std::int64_t now);

/// `"Class::prop"` as the server formats property names in validation errors.
std::string prop_label(std::string_view cls, std::string_view prop);

/// Serializes stored properties in the class's order, nested objects included, objectType last.
Json serialize(std::string_view cls, const Json& props);

/// kTime::getRelativeTime (protocol.md A.6, L.1): |t| <= 10 years -> t + now, 0 included; -1 stays.
std::int64_t relative_time(std::int64_t t, std::int64_t now);

}  // namespace kmeet::emulator
