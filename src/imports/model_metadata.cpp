#include "imports/model_metadata.hpp"

#include <array>
#include <cmath>
#include <fstream>
#include <regex>

#include "core/error.hpp"
#include "imports/csv_record.hpp"

namespace emlab::imports {

namespace {

double parse_number(const std::string& text, const std::string& where, const std::string& column) {
  size_t used = 0;
  double v = NAN;
  try {
    v = std::stod(text, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  require(used == text.size() && std::isfinite(v) && v >= 0,
          "{}: column '{}': expected a non-negative number, got '{}'", where, column, text);
  return v;
}

struct PythiaRow {
  const char* size;
  double params, non_embedding_params;
};

// Biderman et al. 2023, Table 1 (total parameters and non-embedding parameters).
constexpr std::array<PythiaRow, 8> kPythia = {{
    {"70m", 70'426'624, 18'915'328},
    {"160m", 162'322'944, 85'056'000},
    {"410m", 405'334'016, 302'311'424},
    {"1b", 1'011'781'632, 805'736'448},
    {"1.4b", 1'414'647'808, 1'208'602'624},
    {"2.8b", 2'775'208'960, 2'517'652'480},
    {"6.9b", 6'857'302'016, 6'444'163'072},
    {"12b", 11'846'072'320, 11'327'027'200},
}};

}  // namespace

ModelMetadata ModelMetadata::read_csv(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "{}: cannot open the metadata file", path);
  ModelMetadata meta;
  std::string line;
  std::vector<std::string> header;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const auto fields = split_csv_record(line, path, line_number);
    if (header.empty()) {
      header = fields;
      static const std::vector<std::string> kKnown = {
          "model",  "family", "params", "non_embedding_params",
          "tokens", "flops",  "step",   "tokens_per_step"};
      bool has_model = false;
      for (size_t c = 0; c < header.size(); ++c) {
        require(std::find(kKnown.begin(), kKnown.end(), header[c]) != kKnown.end(),
                "{}:{}: unknown column '{}' (column {}); the columns are model, family, params, "
                "non_embedding_params, tokens, flops, step, tokens_per_step",
                path, line_number, header[c], c + 1);
        has_model = has_model || header[c] == "model";
      }
      require(has_model, "{}:{}: the header has no 'model' column", path, line_number);
      continue;
    }
    require(fields.size() == header.size(), "{}:{}: expected {} fields as in the header, got {}",
            path, line_number, header.size(), fields.size());
    ModelFacts facts;
    double per_step = NAN;
    const std::string where = fmt::format("{}:{}", path, line_number);
    for (size_t c = 0; c < header.size(); ++c) {
      const std::string& cell = fields[c];
      const std::string& column = header[c];
      if (column == "model") {
        facts.name = cell;
      } else if (column == "family") {
        facts.family = cell;
      } else if (!cell.empty()) {
        const double v = parse_number(cell, where, column);
        if (column == "params") facts.params = v;
        if (column == "non_embedding_params") facts.non_embedding_params = v;
        if (column == "tokens") facts.tokens = v;
        if (column == "flops") facts.flops = v;
        if (column == "step") {
          require(v <= kMaxCount && v == std::floor(v),
                  "{}: column 'step': expected a whole number of steps, got '{}'", where, cell);
          facts.step = int64_t(v);
        }
        if (column == "tokens_per_step") per_step = v;
      }
    }
    require(!facts.name.empty(), "{}: empty model name", where);
    require(!meta.rows_.contains(facts.name), "{}: model '{}' appears twice", where, facts.name);
    meta.tokens_per_step_[facts.name] = per_step;
    meta.rows_[facts.name] = facts;
  }
  require(!header.empty(), "{}: empty metadata file (expected a header with a 'model' column)",
          path);
  return meta;
}

void ModelMetadata::merge(const ModelMetadata& other, const std::string& path) {
  for (const auto& [name, facts] : other.rows_) {
    require(!rows_.contains(name), "{}: model '{}' is also in another --meta file", path, name);
    rows_[name] = facts;
    tokens_per_step_[name] = other.tokens_per_step_.at(name);
  }
}

const ModelFacts* ModelMetadata::find(const ModelFacts& model) const {
  for (const std::string& key : {model.name, model.source}) {
    const auto it = rows_.find(key);
    if (it != rows_.end()) return &it->second;
  }
  return nullptr;
}

double ModelMetadata::tokens_per_step(const ModelFacts& model) const {
  const ModelFacts* row = find(model);
  return row == nullptr ? NAN : tokens_per_step_.at(row->name);
}

std::optional<PythiaModel> recognise_pythia(const std::string& name) {
  // An optional organisation, the v1.1 / v0 tags, the size, then bf16 / deduped suffixes.
  static const std::regex kName(
      R"(^(?:EleutherAI/)?pythia-(?:v1\.1-)?([0-9.]+[mb])(-bf16)?(-deduped)?(?:-v0)?$)",
      std::regex::icase);
  std::smatch m;
  if (!std::regex_match(name, m, kName)) return std::nullopt;
  std::string size = m[1].str();
  for (char& c : size) c = char(std::tolower(static_cast<unsigned char>(c)));
  for (const PythiaRow& row : kPythia)
    if (size == row.size)
      return PythiaModel{
          size, m[3].matched,
          "pythia-" + size + (m[2].matched ? "-bf16" : "") + (m[3].matched ? "-deduped" : ""),
          row.params, row.non_embedding_params};
  return std::nullopt;
}

void complete_model_facts(ModelFacts& model, const ModelMetadata& metadata) {
  double per_step = NAN;
  if (const ModelFacts* row = metadata.find(model)) {
    if (model.family.empty()) model.family = row->family;
    if (!std::isfinite(model.params)) model.params = row->params;
    if (!std::isfinite(model.non_embedding_params))
      model.non_embedding_params = row->non_embedding_params;
    if (!std::isfinite(model.tokens)) model.tokens = row->tokens;
    if (!std::isfinite(model.flops)) model.flops = row->flops;
    if (model.step < 0) model.step = row->step;
    per_step = metadata.tokens_per_step(model);
  }
  const auto pythia = recognise_pythia(model.source.empty() ? model.name : model.source);
  const auto pythia_by_name = pythia ? pythia : recognise_pythia(model.name);
  if (pythia_by_name) {
    model.name = pythia_by_name->name;
    if (model.family.empty())
      model.family = pythia_by_name->deduplicated ? "pythia-deduped" : "pythia";
    if (!std::isfinite(model.params)) model.params = pythia_by_name->params;
    if (!std::isfinite(model.non_embedding_params))
      model.non_embedding_params = pythia_by_name->non_embedding_params;
    if (!std::isfinite(model.tokens)) model.tokens = kPythiaSteps * kPythiaTokensPerStep;
    if (!std::isfinite(per_step)) per_step = kPythiaTokensPerStep;
    if (model.step < 0) model.step = int64_t(kPythiaSteps);  // the main branch is the last step
  }
  // A count of 0 tokens for a whole run is no count: such a cell is a hole too.
  if (!(model.tokens > 0)) model.tokens = kUnknown;
  if (!(model.flops > 0)) model.flops = kUnknown;
  if (!std::isfinite(model.checkpoint_tokens)) {
    if (model.step >= 0 && std::isfinite(per_step))
      model.checkpoint_tokens = double(model.step) * per_step;
    else
      model.checkpoint_tokens = model.tokens;
  }
  if (!std::isfinite(model.flops) && has_parameters(model) && std::isfinite(model.tokens))
    model.flops = 6.0 * model.params * model.tokens;
}

bool has_parameters(const ModelFacts& model) {
  return std::isfinite(model.params) && model.params > 0;
}

void fail_without_parameters(const ModelFacts& model, const std::string& where) {
  fail(
      "{}: model '{}' has no parameters (params): the file does not say, it is not a Pythia "
      "model, and no --meta row gives it; give --meta FILE with a row for '{}' (columns "
      "model,params; see docs/import.md), or --skip-incomplete to import the other models "
      "without it",
      where, model.name, model.name);
}

}  // namespace emlab::imports
