#pragma once
// The SHA-256 of a file, as `sha256sum` prints it: what identifies an imported file, so importing
// the same bytes twice is recognised whatever the file is called.
#include <filesystem>
#include <string>

namespace emlab {

// Lower-case hex digest. Throws emlab::Error naming the file when it cannot be read.
std::string file_sha256(const std::filesystem::path& path);

}  // namespace emlab
