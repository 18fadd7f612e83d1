#include "imports/lm_eval_results.hpp"

#include <cmath>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/error.hpp"
#include "imports/metric_naming.hpp"

namespace emlab::imports {

namespace {

using nlohmann::json;

json read_json(const std::string& path) {
  std::ifstream in(path);
  require(static_cast<bool>(in), "{}: cannot open the file", path);
  try {
    return json::parse(in);
  } catch (const json::exception& e) {  // syntax, or a number too large (out_of_range)
    fail("{}: not valid JSON ({})", path, e.what());
  }
}

// A number, or NaN for "N/A", null and anything else that is not one.
double number_or_nan(const json& v) {
  if (v.is_number()) return v.get<double>();
  return NAN;
}

int64_t step_of_revision(const std::string& revision) {
  static const std::regex kStep(R"(^step([0-9]{1,12})$)");
  std::smatch m;
  return std::regex_match(revision, m, kStep) ? std::stoll(m[1].str()) : -1;
}

struct Metric {
  double value = NAN, standard_error = NAN;
  bool seen_value = false;
};

// Adds the scores of one task entry: {"acc,none": 0.5, "acc_stderr,none": 0.01, "alias": ...}
// (0.4) or {"acc": 0.5, "acc_stderr": 0.01} (pre-0.4).
void add_task_scores(const std::string& task, const json& entry, int shots, int64_t n,
                     const std::string& where, ImportedCheckpoint& checkpoint,
                     std::vector<std::string>& notes) {
  require(entry.is_object(), "{}: results.{}: expected an object of metrics", where, task);
  std::map<std::pair<std::string, std::string>, Metric> metrics;  // (metric, filter)
  for (const auto& [key, value] : entry.items()) {
    const size_t comma = key.find(',');
    std::string metric = comma == std::string::npos ? key : key.substr(0, comma);
    const std::string filter = comma == std::string::npos ? "none" : key.substr(comma + 1);
    if (!value.is_number() && !(value.is_string() && value.get<std::string>() == "N/A")) {
      continue;  // alias, name, sample_len and other descriptions
    }
    if (key == "sample_len" || key == "sample_count") continue;
    const bool is_stderr = metric.ends_with("_stderr");
    if (is_stderr) metric.resize(metric.size() - 7);
    Metric& m = metrics[{metric, filter}];
    if (is_stderr) {
      m.standard_error = number_or_nan(value);
    } else {
      m.value = number_or_nan(value);
      m.seen_value = true;
    }
  }
  // Newer files count the examples behind each metric of an aggregate ("sample_count").
  const auto counts = entry.find("sample_count");
  for (const auto& [name, m] : metrics) {
    const auto& [metric, filter] = name;
    if (!m.seen_value) continue;  // a stderr without its metric
    int64_t examples = n;
    if (counts != entry.end() && counts->is_object()) {
      const auto c = counts->find(metric + "," + filter);
      if (c != counts->end() && c->is_number_integer()) examples = c->get<int64_t>();
    }
    if (!std::isfinite(m.value)) {
      notes.push_back(
          fmt::format("{}: results.{}: {} is not a number; skipped", where, task, metric));
      continue;
    }
    Score s;
    s.task = stored_task_name(task, shots, filter);
    s.metric = metric;
    s.value = m.value;
    s.standard_error = m.standard_error;
    s.n = examples;
    s.continuous = !is_zero_one_metric(metric);
    if (!s.continuous && (metric == "acc" || metric == "acc_norm"))
      s.chance = known_chance_accuracy(task);
    checkpoint.scores.push_back(std::move(s));
  }
}

int shots_of(const json& file, const std::string& task, int fallback) {
  const auto n_shot = file.find("n-shot");
  if (n_shot != file.end() && n_shot->is_object()) {
    const auto it = n_shot->find(task);
    if (it != n_shot->end() && it->is_number_integer()) return it->get<int>();
  }
  return fallback;
}

int64_t samples_of(const json& file, const std::string& task) {
  const auto n_samples = file.find("n-samples");
  if (n_samples == file.end() || !n_samples->is_object()) return 0;
  const auto it = n_samples->find(task);
  if (it == n_samples->end() || !it->is_object()) return 0;
  const auto effective = it->find("effective");
  return effective != it->end() && effective->is_number_integer() ? effective->get<int64_t>() : 0;
}

}  // namespace

std::string model_short_name(const std::string& id) {
  std::string name = id;
  while (!name.empty() && name.back() == '/') name.pop_back();
  const size_t slash = name.rfind('/');
  return slash == std::string::npos ? name : name.substr(slash + 1);
}

ModelArgs parse_model_args(const std::string& text) {
  ModelArgs args;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    const size_t eq = part.find('=');
    if (eq != std::string::npos) {
      const std::string key = part.substr(0, eq), value = part.substr(eq + 1);
      if (key == "pretrained" || key == "model" || key == "path") {
        if (args.pretrained.empty() || key == "pretrained") args.pretrained = value;
      }
      if (key == "revision") args.step = step_of_revision(value);
    }
    start = end + 1;
  }
  return args;
}

ImportedFile read_lm_eval_results(const std::string& path, const LmEvalOptions& options) {
  const json file = read_json(path);
  require(file.is_object() && file.contains("results") && file["results"].is_object(),
          "{}: not an lm-evaluation-harness results file (expected an object with 'results')",
          path);
  ImportedFile out;
  out.format = "lm-eval";
  out.path = path;
  ImportedCheckpoint checkpoint;

  // The model: config.model_args (string or object), config.model_num_parameters, model_name.
  ModelArgs args;
  int default_shots = 0;
  if (const auto config = file.find("config"); config != file.end() && config->is_object()) {
    if (const auto a = config->find("model_args"); a != config->end()) {
      if (a->is_string()) {
        args = parse_model_args(a->get<std::string>());
      } else if (a->is_object()) {
        for (const char* key : {"pretrained", "model", "path"})
          if (a->contains(key) && (*a)[key].is_string() && args.pretrained.empty())
            args.pretrained = (*a)[key].get<std::string>();
        if (a->contains("revision") && (*a)["revision"].is_string())
          args.step = step_of_revision((*a)["revision"].get<std::string>());
      }
    }
    if (const auto p = config->find("model_num_parameters");
        p != config->end() && p->is_number() && p->get<double>() > 0)
      checkpoint.model.params = p->get<double>();
    if (const auto s = config->find("num_fewshot"); s != config->end() && s->is_number_integer())
      default_shots = s->get<int>();
  }
  if (args.pretrained.empty() && file.contains("model_name") && file["model_name"].is_string())
    args.pretrained = file["model_name"].get<std::string>();
  if (!options.model.empty()) args.pretrained = options.model;
  require(!args.pretrained.empty(),
          "{}: names no model (no config.model_args 'pretrained=...' nor model_name); give "
          "--model NAME",
          path);
  checkpoint.model.source = args.pretrained;
  checkpoint.model.name = model_short_name(args.pretrained);
  checkpoint.model.step = args.step;
  checkpoint.model.family = options.family;

  for (const auto& [task, entry] : file["results"].items())
    add_task_scores(task, entry, shots_of(file, task, default_shots), samples_of(file, task), path,
                    checkpoint, out.notes);
  // Aggregates (MMLU's subject groups) that newer files keep only under `groups`.
  if (const auto groups = file.find("groups"); groups != file.end() && groups->is_object())
    for (const auto& [group, entry] : groups->items())
      if (!file["results"].contains(group))
        add_task_scores(group, entry, shots_of(file, group, default_shots), 0, path, checkpoint,
                        out.notes);
  require(!checkpoint.scores.empty(), "{}: 'results' holds no numeric metric", path);
  out.checkpoints.push_back(std::move(checkpoint));
  return out;
}

}  // namespace emlab::imports
