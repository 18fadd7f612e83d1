#include "imports/lm_eval_samples.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <sstream>

#include "core/error.hpp"
#include "eval/record.hpp"
#include "eval/record_json.hpp"
#include "eval/task_summary.hpp"
#include "imports/lm_eval_results.hpp"
#include "imports/metric_naming.hpp"

namespace emlab::imports {

namespace {

using nlohmann::json;

// A log-likelihood as the harness logs it: a number, or a number written as a string.
std::optional<double> loglik(const json& v) {
  if (v.is_number()) return v.get<double>();
  if (!v.is_string()) return std::nullopt;
  const std::string text = v.get<std::string>();
  size_t used = 0;
  try {
    const double x = std::stod(text, &used);
    if (used == text.size()) return x;
  } catch (const std::exception&) {
  }
  return std::nullopt;
}

// Every request's arguments as a list: [context, continuation] (older files) or
// {"gen_args_0": {"arg_0": context, "arg_1": continuation}} (newer ones).
std::vector<std::vector<json>> request_arguments(const json& arguments) {
  std::vector<std::vector<json>> out;
  if (arguments.is_array()) {
    for (const json& a : arguments)
      out.push_back(a.is_array() ? a.get<std::vector<json>>() : std::vector<json>{a});
  } else if (arguments.is_object()) {
    for (size_t i = 0;; ++i) {
      const auto it = arguments.find(fmt::format("gen_args_{}", i));
      if (it == arguments.end()) break;
      std::vector<json> args;
      for (size_t k = 0; it->is_object() && it->contains(fmt::format("arg_{}", k)); ++k)
        args.push_back((*it)[fmt::format("arg_{}", k)]);
      out.push_back(std::move(args));
    }
  }
  return out;
}

// The first string inside a (possibly nested) response: ["42"] or [["42"]] → "42".
std::optional<std::string> first_text(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array() && !v.empty()) return first_text(v.front());
  return std::nullopt;
}

std::vector<std::string> words(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// Words to token ids, shared by every record of the file so that equal words compare equal.
struct Vocabulary {
  std::map<std::string, int32_t> ids;
  eval::Tokens encode(const std::string& text) {
    eval::Tokens t;
    for (const std::string& w : words(text))
      t.push_back(ids.try_emplace(w, int32_t(ids.size())).first->second);
    return t;
  }
};

// The gold choice: an index (number or digits) or the text of one of the choices.
std::optional<size_t> gold_index(const json& target, const std::vector<std::string>& choices) {
  const json& t = target.is_array() && !target.empty() ? target.front() : target;
  if (t.is_number_integer()) {
    const auto i = t.get<int64_t>();
    if (i >= 0 && size_t(i) < choices.size()) return size_t(i);
    return std::nullopt;
  }
  if (!t.is_string()) return std::nullopt;
  const std::string text = t.get<std::string>();
  if (!text.empty() && std::all_of(text.begin(), text.end(), ::isdigit) && text.size() < 10) {
    const size_t i = std::stoul(text);
    if (i < choices.size()) return i;
  }
  const auto trimmed = [](const std::string& s) {
    const auto w = words(s);
    std::string joined;
    for (const auto& x : w) joined += (joined.empty() ? "" : " ") + x;
    return joined;
  };
  for (size_t i = 0; i < choices.size(); ++i)
    if (trimmed(choices[i]) == trimmed(text)) return i;
  return std::nullopt;
}

size_t argmax(const std::vector<double>& v) {
  return size_t(std::max_element(v.begin(), v.end()) - v.begin());  // first maximum, as numpy
}

// A 0/1 mean with the harness's standard error (sample standard deviation / √n).
Score zero_one_score(const std::string& task, const std::string& metric,
                     const std::vector<double>& outcomes, double chance) {
  Score s{task, metric};
  const double n = double(outcomes.size());
  double sum = 0;
  for (double x : outcomes) sum += x;
  s.value = sum / n;
  double ss = 0;
  for (double x : outcomes) ss += (x - s.value) * (x - s.value);
  s.standard_error = n > 1 ? std::sqrt(ss / (n - 1) / n) : NAN;
  s.n = int64_t(outcomes.size());
  s.chance = chance;
  s.continuous = false;
  return s;
}

struct TaskRecords {
  std::vector<eval::ExampleRecord> records;
  std::vector<int64_t> doc_ids;
  std::vector<double> acc, acc_norm;  // multiple choice, the harness's argmax definitions
  bool norm_possible = true;          // every choice had a non-empty text
  double chance_sum = 0;
};

}  // namespace

ImportedFile read_lm_eval_samples(const std::string& path, const SamplesOptions& options) {
  namespace fs = std::filesystem;
  std::ifstream in(path);
  require(static_cast<bool>(in), "{}: cannot open the file", path);
  ImportedFile out;
  out.format = "lm-eval-samples";
  out.path = path;

  std::string task = options.task;
  if (task.empty()) {
    static const std::regex kName(R"(^samples_(.+)_(\d{4}-\d{2}-\d{2}T[0-9.\-]+)\.jsonl$)");
    std::smatch m;
    const std::string file = fs::path(path).filename().string();
    require(std::regex_match(file, m, kName),
            "{}: cannot tell the task from the file name (expected samples_<task>_<date>.jsonl); "
            "give --task NAME",
            path);
    task = m[1].str();
  }
  std::string model = options.model;
  if (model.empty()) {
    const std::string folder = fs::absolute(path).parent_path().filename().string();
    const size_t sep = folder.find("__");
    require(sep != std::string::npos,
            "{}: cannot tell the model from the folder '{}' (the harness writes samples under "
            "<org>__<model>/); give --model NAME",
            path, folder);
    model = folder.substr(0, sep) + "/" + folder.substr(sep + 2);
  }

  ImportedCheckpoint checkpoint;
  checkpoint.model.source = model;
  checkpoint.model.name = model_short_name(model);
  checkpoint.model.family = options.family;
  checkpoint.model.step = options.step;

  Vocabulary vocabulary;
  std::map<std::string, TaskRecords> by_task;  // per filter
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = fmt::format("{}:{}", path, line_number);
    json sample;
    try {
      sample = json::parse(line);
    } catch (const json::exception& e) {  // syntax, or a number too large (out_of_range)
      fail("{}: not valid JSON ({})", where, e.what());
    }
    require(sample.is_object(), "{}: expected one JSON object per line", where);
    for (const char* field : {"doc_id", "target", "arguments", "filtered_resps"})
      require(sample.contains(field), "{}: missing field '{}'", where, field);
    require(sample["doc_id"].is_number_integer(), "{}: 'doc_id' must be an integer", where);
    const std::string filter = sample.contains("filter") && sample["filter"].is_string()
                                   ? sample["filter"].get<std::string>()
                                   : "none";
    const std::string stored = stored_task_name(task, options.shots, filter);
    TaskRecords& t = by_task[stored];

    const auto args = request_arguments(sample["arguments"]);
    const json& filtered = sample["filtered_resps"];
    require(filtered.is_array() && !filtered.empty(),
            "{}: 'filtered_resps' must be a non-empty list", where);
    eval::ExampleRecord record;
    record.task = stored;
    // Multiple choice: one log-likelihood request per choice, each answered [loglik, is_greedy].
    std::vector<double> logliks;
    bool choice = args.size() >= 2 && args.size() == filtered.size();
    for (size_t i = 0; choice && i < filtered.size(); ++i) {
      const json& r = filtered[i];
      const json& pair = r.is_array() && !r.empty() && r.front().is_array() ? r.front() : r;
      const auto ll = pair.is_array() && pair.size() == 2 ? loglik(pair[0]) : std::nullopt;
      if (!ll || args[i].size() < 2 || !args[i][1].is_string())
        choice = false;
      else
        logliks.push_back(*ll);
    }
    if (choice) {
      std::vector<std::string> texts;
      for (const auto& a : args) texts.push_back(a[1].get<std::string>());
      const auto gold = gold_index(sample["target"], texts);
      require(gold.has_value(),
              "{}: 'target' {} names none of the {} choices (expected an index or a choice's text)",
              where, sample["target"].dump(), texts.size());
      for (double ll : logliks)
        require(std::isfinite(ll) && ll <= 0,
                "{}: a choice's log-likelihood {} is not a finite "
                "number ≤ 0",
                where, ll);
      record.choice_logprobs = logliks;
      record.correct_choice = int64_t(*gold);
      t.acc.push_back(argmax(logliks) == *gold ? 1.0 : 0.0);
      std::vector<double> per_char;
      for (size_t i = 0; i < texts.size(); ++i) {
        t.norm_possible = t.norm_possible && !texts[i].empty();
        per_char.push_back(logliks[i] / std::max<double>(1.0, double(texts[i].size())));
      }
      t.acc_norm.push_back(argmax(per_char) == *gold ? 1.0 : 0.0);
      t.chance_sum += 1.0 / double(texts.size());
    } else {
      // Generation: the filtered response against the target text.
      const auto response = first_text(filtered);
      const auto target = first_text(sample["target"]);
      require(response.has_value() && target.has_value(),
              "{}: neither a multiple-choice sample (one [loglik, is_greedy] per choice) nor a "
              "generation sample (a text response and a text target)",
              where);
      record.target = vocabulary.encode(*target);
      record.output = vocabulary.encode(*response);
      if (record.target.empty()) {
        out.notes.push_back(fmt::format("{}: empty target; sample skipped", where));
        continue;
      }
    }
    eval::validate_record(record, where);
    t.doc_ids.push_back(sample["doc_id"].get<int64_t>());
    t.records.push_back(std::move(record));
  }
  require(!by_task.empty(), "{}: no samples", path);

  for (auto& [stored, t] : by_task) {
    for (size_t i = 0; i < t.records.size(); ++i)
      checkpoint.examples.push_back({stored, t.doc_ids[i], eval::to_json(t.records[i]).dump()});
    const eval::TaskSummary summary = eval::summarise_task(t.records);
    for (const eval::MetricSummary& m : summary.metrics) {
      if (m.estimate.n == 0) continue;
      checkpoint.scores.push_back({stored, m.name, m.estimate.mean, m.estimate.standard_error,
                                   int64_t(m.estimate.n), m.chance.value_or(NAN), m.continuous});
    }
    if (!t.acc.empty()) {
      const double chance = t.chance_sum / double(t.acc.size());
      checkpoint.scores.push_back(zero_one_score(stored, "acc", t.acc, chance));
      if (t.norm_possible)
        checkpoint.scores.push_back(zero_one_score(stored, "acc_norm", t.acc_norm, chance));
      else
        out.notes.push_back(
            fmt::format("{}: task {}: a choice has no text; no acc_norm", path, stored));
    }
  }
  out.checkpoints.push_back(std::move(checkpoint));
  return out;
}

}  // namespace emlab::imports
