#include "nn/safetensors.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace emlab::nn {

namespace {
static_assert(std::endian::native == std::endian::little, "safetensors is little-endian");
constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the format's own limit
}  // namespace

void write_safetensors(const std::filesystem::path& path, const std::vector<NamedTensor>& tensors,
                       const Metadata& metadata) {
  nlohmann::json header = nlohmann::json::object();
  if (!metadata.empty()) header["__metadata__"] = metadata;
  uint64_t offset = 0;
  for (const NamedTensor& t : tensors) {
    const uint64_t bytes = t.data.size() * sizeof(float);
    header[t.name] = {
        {"dtype", "F32"}, {"shape", t.shape}, {"data_offsets", {offset, offset + bytes}}};
    offset += bytes;
  }
  std::string text = header.dump();
  text.append((8 - text.size() % 8) % 8, ' ');  // keeps the tensor data 8-byte aligned
  const uint64_t header_size = text.size();

  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    require(out.good(), "checkpoint {}: cannot open for writing", tmp.string());
    out.write(reinterpret_cast<const char*>(&header_size), sizeof header_size);
    out.write(text.data(), static_cast<std::streamsize>(text.size()));
    for (const NamedTensor& t : tensors)
      out.write(reinterpret_cast<const char*>(t.data.data()),
                static_cast<std::streamsize>(t.data.size_bytes()));
    out.flush();
    require(out.good(), "checkpoint {}: write failed (disk full?)", tmp.string());
  }
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  require(!ec, "checkpoint {}: cannot rename into place: {}", path.string(), ec.message());
}

SafetensorsFile::SafetensorsFile(const std::filesystem::path& path) : path_(path) {
  const std::string where = path.string();
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  require(in.good(), "checkpoint {}: file not found or not readable", where);
  const auto file_size = static_cast<uint64_t>(in.tellg());
  in.seekg(0);
  require(file_size >= 8, "checkpoint {}: truncated ({} bytes, the header length alone needs 8)",
          where, file_size);
  uint64_t header_size = 0;
  in.read(reinterpret_cast<char*>(&header_size), sizeof header_size);
  require(header_size <= kMaxHeaderBytes && 8 + header_size <= file_size,
          "checkpoint {}: truncated or not safetensors (header claims {} bytes, file has {})",
          where, header_size, file_size);
  std::string text(header_size, '\0');
  in.read(text.data(), static_cast<std::streamsize>(header_size));
  nlohmann::json header;
  try {
    header = nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception& e) {
    fail("checkpoint {}: header is not valid JSON: {}", where, e.what());
  }
  require(header.is_object(), "checkpoint {}: header is not a JSON object", where);

  const uint64_t data_bytes = file_size - 8 - header_size;
  require(data_bytes % sizeof(float) == 0,
          "checkpoint {}: data section of {} bytes is not whole floats", where, data_bytes);
  data_.resize(data_bytes / sizeof(float));
  in.read(reinterpret_cast<char*>(data_.data()), static_cast<std::streamsize>(data_bytes));
  require(in.good(), "checkpoint {}: could not read the data section", where);

  for (const auto& [name, value] : header.items()) {
    if (name == "__metadata__") {
      require(value.is_object(), "checkpoint {}: __metadata__ is not an object", where);
      for (const auto& [key, v] : value.items()) {
        require(v.is_string(), "checkpoint {}: metadata '{}' is not a string", where, key);
        metadata_[key] = v.get<std::string>();
      }
      continue;
    }
    try {
      const std::string dtype = value.at("dtype").get<std::string>();
      require(dtype == "F32", "checkpoint {}: tensor '{}' has dtype {}, only F32 is supported",
              where, name, dtype);
      Entry e;
      e.shape = value.at("shape").get<std::vector<int64_t>>();
      const auto offsets = value.at("data_offsets").get<std::vector<uint64_t>>();
      require(offsets.size() == 2, "checkpoint {}: tensor '{}' data_offsets must have 2 entries",
              where, name);
      int64_t numel = 1;
      for (int64_t d : e.shape) {
        require(d >= 0, "checkpoint {}: tensor '{}' has a negative dimension", where, name);
        numel *= d;
      }
      require(offsets[0] <= offsets[1] && offsets[1] <= data_bytes &&
                  offsets[1] - offsets[0] == static_cast<uint64_t>(numel) * sizeof(float) &&
                  offsets[0] % sizeof(float) == 0,
              "checkpoint {}: tensor '{}' offsets [{}, {}] do not fit its shape or the file "
              "(data section has {} bytes): truncated?",
              where, name, offsets[0], offsets[1], data_bytes);
      e.begin = offsets[0];
      e.end = offsets[1];
      tensors_.emplace(name, std::move(e));
    } catch (const nlohmann::json::exception& ex) {
      fail("checkpoint {}: tensor '{}' has a malformed header entry: {}", where, name, ex.what());
    }
  }
}

const std::string& SafetensorsFile::metadata_value(const std::string& key) const {
  auto it = metadata_.find(key);
  require(it != metadata_.end(), "checkpoint {}: metadata key '{}' is missing", path_.string(),
          key);
  return it->second;
}

std::vector<std::string> SafetensorsFile::tensor_names() const {
  std::vector<std::string> names;
  for (const auto& [name, e] : tensors_) names.push_back(name);
  return names;
}

std::span<const float> SafetensorsFile::tensor(const std::string& name,
                                               const std::vector<int64_t>& shape) const {
  auto it = tensors_.find(name);
  require(it != tensors_.end(),
          "checkpoint {}: tensor '{}' is missing (does the model config match?)", path_.string(),
          name);
  require(it->second.shape == shape,
          "checkpoint {}: tensor '{}' has shape [{}], the model expects [{}]", path_.string(), name,
          fmt::join(it->second.shape, ", "), fmt::join(shape, ", "));
  return {data_.data() + it->second.begin / sizeof(float),
          (it->second.end - it->second.begin) / sizeof(float)};
}

}  // namespace emlab::nn
