#include "store/export.hpp"

#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <ostream>

#include "store/run_store.hpp"
#include "store/verdict_store.hpp"

namespace emlab::store {

namespace {

// A number as CSV/JSON text: shortest round-trip form, blank when undefined.
std::string cell(double v) {
  return std::isfinite(v) ? fmt::format("{}", v) : std::string();
}

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// The checkpoints an export includes for a run.
std::vector<CheckpointRow> selected(RunStore& store, const RunRow& run,
                                    const ExportOptions& options) {
  if (run.status == "failed" && !options.include_failed) return {};
  if (options.final_only && run.status != "completed") return {};
  auto rows = store.checkpoints(run.id);
  if (options.final_only && !rows.empty()) rows.erase(rows.begin(), rows.end() - 1);
  return rows;
}

double checkpoint_loss(const CheckpointRow& c) {
  return std::isfinite(c.validation_loss) ? c.validation_loss : c.train_loss;
}

}  // namespace

void export_csv(Database& db, std::ostream& out, const ExportOptions& options) {
  RunStore store(db);
  out << "model,params,non_embedding_params,tokens,flops,step,loss,task,metric,value,stderr,n\n";
  bool skipped_initial = false;
  for (const RunRow& run : store.runs()) {
    for (const CheckpointRow& c : selected(store, run, options)) {
      if (c.tokens_known && c.tokens == 0) {  // the untrained model: the format needs tokens > 0
        skipped_initial = true;
        continue;
      }
      // A size or count the run does not know (imported evaluations) is a blank cell.
      const std::string non_embedding = run.plan.non_embedding_parameters > 0
                                            ? std::to_string(run.plan.non_embedding_parameters)
                                            : "";
      const std::string prefix =
          fmt::format("{},{},{},{},{},{},{}", csv_text(run.plan.name), run.plan.parameters,
                      non_embedding, c.tokens_known ? std::to_string(c.tokens) : "",
                      c.flops_known ? cell(c.flops) : "", c.step, cell(checkpoint_loss(c)));
      if (std::isfinite(checkpoint_loss(c))) out << prefix << ",,,,,\n";
      for (const MetricRow& m : store.metrics(run.id, c.step)) {
        if (!std::isfinite(m.value)) continue;  // e.g. a metric with no defined value here
        out << prefix << ',' << csv_text(m.task) << ',' << csv_text(m.metric) << ','
            << cell(m.value) << ',' << cell(m.standard_error) << ','
            << (m.n > 0 ? std::to_string(m.n) : "") << '\n';
      }
    }
  }
  if (skipped_initial)
    out << "# step-0 checkpoints (0 tokens) are left out here; the JSON export has them\n";
}

void export_json(Database& db, std::ostream& out, const ExportOptions& options) {
  RunStore store(db);
  nlohmann::json runs = nlohmann::json::array();
  for (const RunRow& run : store.runs()) {
    nlohmann::json checkpoints = nlohmann::json::array();
    for (const CheckpointRow& c : selected(store, run, options)) {
      nlohmann::json metrics = nlohmann::json::array();
      for (const MetricRow& m : store.metrics(run.id, c.step))
        metrics.push_back({{"task", m.task},
                           {"metric", m.metric},
                           {"value", number(m.value)},
                           {"ci", {number(m.lower), number(m.upper)}},
                           {"standard_error", number(m.standard_error)},
                           {"n", m.n},
                           {"chance", number(m.chance)},
                           {"continuous", m.continuous}});
      nlohmann::json probes = nlohmann::json::array();
      for (const ProbeScoreRow& p : store.probe_scores(run.id, c.step))
        probes.push_back({{"probe", p.probe},
                          {"layer", p.layer},
                          {"head", p.head},
                          {"value", number(p.value)},
                          {"seed", p.seed}});
      checkpoints.push_back({{"step", c.step},
                             {"tokens", c.tokens_known ? nlohmann::json(c.tokens) : nullptr},
                             {"flops", c.flops_known ? number(c.flops) : nullptr},
                             {"train_loss", number(c.train_loss)},
                             {"validation_loss", number(c.validation_loss)},
                             {"metrics", metrics},
                             {"probes", probes}});
    }
    runs.push_back(
        {{"name", run.plan.name},
         {"status", run.status},
         {"reason", run.reason},
         {"seed", run.plan.seed},
         {"parameters", run.plan.parameters},
         {"non_embedding_parameters", run.plan.non_embedding_parameters},
         {"steps", run.plan.steps},
         {"tokens", run.tokens_known ? nlohmann::json(run.plan.tokens) : nullptr},
         {"flops", run.flops_known ? number(run.plan.flops) : nullptr},
         {"final_loss", number(run.final_loss)},
         {"config", nlohmann::json::parse(run.plan.config_json)},
         {"schedule", nlohmann::json::parse(run.plan.schedule_json)},
         {"code_version", run.code_version},
         {"machine", nlohmann::json::parse(run.machine_json.empty() ? "{}" : run.machine_json)},
         {"seconds",
          {{"train", run.train_seconds}, {"eval", run.eval_seconds}, {"write", run.write_seconds}}},
         {"checkpoints", checkpoints}});
  }
  nlohmann::json verdicts = nlohmann::json::array();
  for (const VerdictRow& v : VerdictStore(db).verdicts())
    verdicts.push_back({{"study", v.study},
                        {"verdict", v.verdict},
                        {"claim", v.claim},
                        {"predicts", v.predicts},
                        {"rule", v.rule},
                        {"scale", v.scale},
                        {"measurements", nlohmann::json::parse(v.measurements_json)},
                        {"conditions", nlohmann::json::parse(v.conditions_json)},
                        {"rule_power", nlohmann::json::parse(v.power_json, nullptr, false)},
                        {"code_version", v.code_version},
                        {"seconds", v.seconds},
                        {"created", v.created}});
  out << nlohmann::json{{"format", "emlab-export-v1"},
                        {"database", db.path().string()},
                        {"schema_version", db.schema_version()},
                        {"runs", runs},
                        {"verdicts", verdicts}}
             .dump(1)
      << '\n';
}

void export_probes_csv(Database& db, std::ostream& out, const ExportOptions& options) {
  RunStore store(db);
  out << "model,step,tokens,probe,layer,head,value,seed\n";
  for (const RunRow& run : store.runs())
    for (const CheckpointRow& c : selected(store, run, options))
      for (const ProbeScoreRow& p : store.probe_scores(run.id, c.step))
        out << fmt::format("{},{},{},{},{},{},{},{}\n", csv_text(run.plan.name), c.step, c.tokens,
                           p.probe, p.layer, p.head, cell(p.value), p.seed);
}

void export_verdicts_csv(Database& db, std::ostream& out) {
  out << "study,verdict,scale,measurement,value,lower,upper\n";
  auto cell = [](const nlohmann::json& x) {
    return x.is_number()   ? fmt::format("{}", x.get<double>())
           : x.is_string() ? x.get<std::string>()
                           : std::string();
  };
  for (const VerdictRow& v : VerdictStore(db).verdicts())
    for (const auto& m : nlohmann::json::parse(v.measurements_json))
      out << fmt::format("{},{},{},{},{},{},{}\n", v.study, v.verdict, v.scale,
                         m["name"].get<std::string>(), cell(m["value"]), cell(m["lower"]),
                         cell(m["upper"]));
}

}  // namespace emlab::store
