#pragma once
/// @file export.hpp
/// `KMEET_EXPORT` marks kmeet's public API: the classes and functions libkmeet.so exports. kmeet
/// is compiled with hidden symbol visibility (`-fvisibility=hidden -fvisibility-inlines-hidden`),
/// so everything not marked — its internals, the `detail` namespace — stays inside the shared
/// library and is no part of its ABI. For a static kmeet (`KMEET_STATIC`, defined by the
/// `kmeet::kmeet` target and by kmeet.pc of a static build) the macro is empty.

#if defined(KMEET_STATIC) || !(defined(__GNUC__) || defined(__clang__))
/// Exported from libkmeet.so (empty in a static kmeet).
#define KMEET_EXPORT
#else
/// Exported from libkmeet.so (empty in a static kmeet).
#define KMEET_EXPORT __attribute__((visibility("default")))
#endif
