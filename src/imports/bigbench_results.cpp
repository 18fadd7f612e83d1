#include "imports/bigbench_results.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "imports/metric_naming.hpp"

namespace emlab::imports {

namespace {

using nlohmann::json;

double positive_or_unknown(const json& model, const char* key) {
  const auto it = model.find(key);
  return it != model.end() && it->is_number() && it->get<double>() > 0 ? it->get<double>()
                                                                       : kUnknown;
}

const json& field(const json& object, const char* key, const std::string& where) {
  const auto it = object.find(key);
  require(it != object.end(), "{}: missing field '{}'", where, key);
  return *it;
}

}  // namespace

ImportedFile read_bigbench_results(const std::string& path, const std::string& family) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "{}: cannot open the file", path);
  json file;
  try {
    file = json::parse(in);
  } catch (const json::exception& e) {  // syntax, or a number too large (out_of_range)
    fail("{}: not valid JSON ({})", path, e.what());
  }
  require(file.is_object(), "{}: expected a BIG-bench results object with 'model' and 'scores'",
          path);
  const json& model = field(file, "model", path);
  require(model.is_object(), "{}: 'model' must be an object", path);
  const json& name = field(model, "model_name", path + ": model");
  require(name.is_string() && !name.get<std::string>().empty(),
          "{}: model.model_name must be a non-empty string", path);

  ImportedCheckpoint checkpoint;
  ModelFacts& m = checkpoint.model;
  const std::string model_family =
      model.contains("model_family") && model["model_family"].is_string()
          ? model["model_family"].get<std::string>()
          : "";
  m.source =
      model_family.empty() ? name.get<std::string>() : model_family + " " + name.get<std::string>();
  m.name = m.source;
  m.family = family.empty() ? model_family : family;
  m.params = positive_or_unknown(model, "total_params");
  m.non_embedding_params = positive_or_unknown(model, "non_embedding_params");
  if (const double steps = positive_or_unknown(model, "training_steps"); std::isfinite(steps)) {
    require(steps <= kMaxCount, "{}: model.training_steps {} is not a plausible step count", path,
            steps);
    m.step = int64_t(steps);
  }
  // training_batch_size without the sequence length does not give tokens: they come from --meta.

  const json& scores = field(file, "scores", path);
  require(scores.is_array(), "{}: 'scores' must be a list", path);
  ImportedFile out;
  out.format = "bigbench";
  out.path = path;
  for (size_t i = 0; i < scores.size(); ++i) {
    const std::string where = fmt::format("{}: scores[{}]", path, i);
    const json& s = scores[i];
    require(s.is_object(), "{}: expected an object", where);
    const json& subtask = field(s, "subtask_description", where);
    const json& shots = field(s, "number_of_shots", where);
    const json& dict = field(s, "score_dict", where);
    require(subtask.is_string(), "{}: subtask_description must be a string", where);
    require(shots.is_number_integer() && shots.get<int>() >= 0,
            "{}: number_of_shots must be a non-negative integer", where);
    require(dict.is_object() && !dict.empty(), "{}: score_dict must be a non-empty object", where);
    const std::string task = stored_task_name(subtask.get<std::string>(), shots.get<int>());
    const std::string preferred = s.contains("preferred_score") && s["preferred_score"].is_string()
                                      ? s["preferred_score"].get<std::string>()
                                      : "";
    const double low =
        s.contains("low_score") && s["low_score"].is_number() ? s["low_score"].get<double>() : NAN;
    const double high = s.contains("high_score") && s["high_score"].is_number()
                            ? s["high_score"].get<double>()
                            : NAN;
    for (const auto& [metric, value] : dict.items()) {
      require(value.is_number(), "{}: score_dict.{} must be a number", where, metric);
      Score score{task, metric, value.get<double>()};
      score.continuous = !is_zero_one_metric(metric);
      if (metric == preferred) score.chance = low;
      checkpoint.scores.push_back(score);
      if (metric == preferred && std::isfinite(low) && std::isfinite(high) && high != low) {
        Score normalised{task, metric + "_normalised", (value.get<double>() - low) / (high - low)};
        normalised.chance = 0;
        normalised.continuous = score.continuous;
        checkpoint.scores.push_back(normalised);
      }
    }
    if (!preferred.empty() && !dict.contains(preferred))
      out.notes.push_back(
          fmt::format("{}: preferred_score '{}' is not in score_dict", where, preferred));
  }
  require(!checkpoint.scores.empty(), "{}: 'scores' is empty", path);
  out.checkpoints.push_back(std::move(checkpoint));
  return out;
}

}  // namespace emlab::imports
