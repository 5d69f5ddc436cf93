#pragma once
// JSON mapping of media entries: the recording template of `media.add`, the `KalturaMediaEntryFilter`
// of `media.list`, and the entries the server returns (protocol.md J.3-J.5, J.7).

#include <string>
#include <string_view>
#include <vector>

#include "api/json.hpp"
#include "kmeet/model.hpp"
#include "kmeet/recordings.hpp"

namespace kmeet::detail {

/// The service id of `media.*` (protocol.md J.3).
inline constexpr std::string_view kMediaService = "media";
inline constexpr std::string_view kMediaEntryType = "KalturaMediaEntry";
inline constexpr std::string_view kMediaFilterType = "KalturaMediaEntryFilter";
/// `KalturaMediaType` VIDEO: what the samples send for a template (J.3).
inline constexpr int kMediaTypeVideo = 1;
/// The server's answer to `media.get`/`media.delete` of an entry that does not exist (or is
/// deleted): `ENTRY_ID_NOT_FOUND`, arg `ENTRY_ID` (server `KalturaErrors::ENTRY_ID_NOT_FOUND`;
/// protocol.md J.5).
inline constexpr std::string_view kEntryNotFound = "ENTRY_ID_NOT_FOUND";

/// The template entry of `media.add` (J.3), in the field order of the J.7 capture: objectType,
/// name, description, mediaType (VIDEO), userId, tags, categoriesIds, referenceId; unset fields
/// are not sent.
WireJson template_to_wire(const RecordingTemplate& t);
/// A `KalturaMediaEntryFilter` (J.4): objectType, referenceIdEqual, rootEntryIdEqual,
/// rootEntryIdIn, statusEqual, statusIn, createdAt bounds, orderBy.
WireJson to_wire(const RecordingFilter& filter);
/// `statusIn` text of `statuses`: their wire values joined by `,` (e.g. `-2,-1,0,1,2,4`).
std::string status_list(const std::vector<EntryStatus>& statuses);

/// A media entry (J.5). `status` is read as a JSON number or a string (numeric or a plugin
/// value). Throws ProtocolError naming the field when a value has the wrong type.
Recording recording_from_wire(const Json& value);
/// A `KalturaMediaListResponse` / `KalturaBaseEntryListResponse`.
Page<Recording> recording_page_from_wire(const Json& value);

/// Checks an entry id before it goes into a request or a URL path: 1..64 characters of
/// `[0-9A-Za-z_]` (the shape of `1_9vga7lbm`). Throws ValidationError naming `field`.
void validate_entry_id(std::string_view id, std::string_view field);
/// Checks a RecordingTemplate (names the fields `<prefix>.name` ...). Throws ValidationError.
void validate(const RecordingTemplate& t, std::string_view prefix);
/// Checks a RecordingFilter. Throws ValidationError.
void validate(const RecordingFilter& filter, std::string_view prefix = "filter");

}  // namespace kmeet::detail
