#pragma once
// EMLAB_SANITIZED is 1 in a build with AddressSanitizer, so tests that would take minutes there
// can do less. GCC says so with __SANITIZE_ADDRESS__; clang 14 only through __has_feature.
#if defined(__SANITIZE_ADDRESS__)
#define EMLAB_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EMLAB_SANITIZED 1
#endif
#endif
