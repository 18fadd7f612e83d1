#pragma once
// The safetensors file format (Hugging Face): an 8-byte little-endian header length, a JSON
// header {name: {dtype, shape, data_offsets}, "__metadata__": {string: string}}, then the raw
// tensor bytes. Only F32 tensors are written and read here.
#include <cstdint>
#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <vector>

namespace emlab::nn {

struct NamedTensor {
  std::string name;
  std::vector<int64_t> shape;
  std::span<const float> data;
};

using Metadata = std::map<std::string, std::string>;

// Writes to `path` atomically (a temporary file renamed into place), so a crash mid-write never
// leaves a truncated checkpoint under the final name.
void write_safetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                       const Metadata& metadata);

class SafetensorsFile {
 public:
  // Reads and validates the whole file; throws emlab::Error naming the file and the problem
  // (missing, truncated, malformed header, offsets out of range, unsupported dtype).
  explicit SafetensorsFile(const std::filesystem::path& path);

  const Metadata& metadata() const { return metadata_; }
  // Throws emlab::Error naming the key when it is absent.
  const std::string& metadata_value(const std::string& key) const;
  bool contains(const std::string& name) const { return tensors_.count(name) != 0; }
  std::vector<std::string> tensor_names() const;
  // The tensor's data; throws emlab::Error if absent or if its shape differs from `shape`.
  std::span<const float> tensor(const std::string& name, const std::vector<int64_t>& shape) const;

 private:
  struct Entry {
    std::vector<int64_t> shape;
    size_t begin, end;  // byte offsets into data_
  };
  std::filesystem::path path_;
  std::vector<float> data_;
  std::map<std::string, Entry> tensors_;
  Metadata metadata_;
};

}  // namespace emlab::nn
