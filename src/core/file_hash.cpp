#include "core/file_hash.hpp"

#include <array>
#include <fstream>

#include "core/error.hpp"
#include "core/sha256.hpp"

namespace emlab {

std::string file_sha256(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  require(static_cast<bool>(in), "{}: cannot open the file", path.string());
  Sha256 digest;
  std::array<char, 1 << 16> buffer{};
  while (in) {
    in.read(buffer.data(), buffer.size());
    if (in.gcount() > 0) digest.update({buffer.data(), static_cast<size_t>(in.gcount())});
  }
  require(in.eof(), "{}: read error", path.string());
  return digest.hex_digest();
}

}  // namespace emlab
