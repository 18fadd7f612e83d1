#pragma once
// UTF-8 validation: a corpus file must be text, so a binary or Latin-1 file is named at once
// rather than trained on as noise.
#include <cstddef>
#include <optional>
#include <string_view>

namespace emlab::text {

// Offset of the first byte that does not start a well-formed UTF-8 sequence (RFC 3629: no
// overlong forms, no surrogates, nothing above U+10FFFF, no NUL), or nullopt when all is valid.
std::optional<size_t> first_invalid_utf8(std::string_view bytes);

}  // namespace emlab::text
