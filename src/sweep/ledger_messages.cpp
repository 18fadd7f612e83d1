#include "sweep/ledger_messages.hpp"

#include <cmath>
#include <limits>

namespace emlab::sweep {

namespace {
// Doubles travel as JSON numbers (exact round trip) and NaN as null.
nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}
double read(const nlohmann::json& v) {
  return v.is_null() ? std::numeric_limits<double>::quiet_NaN() : v.get<double>();
}
}  // namespace

nlohmann::json to_json(const Assignment& a) {
  const store::PlannedRun p = to_planned_run(a.spec);
  return {{"run_id", a.run_id},
          {"name", p.name},
          {"config", p.config_json},
          {"schedule", p.schedule_json},
          {"steps_done", a.steps_done}};
}

Assignment assignment_from_json(const nlohmann::json& j) {
  store::PlannedRun p;
  p.name = j.at("name").get<std::string>();
  p.config_json = j.at("config").get<std::string>();
  p.schedule_json = j.at("schedule").get<std::string>();
  Assignment a;
  a.run_id = j.at("run_id").get<int64_t>();
  a.spec = run_spec_from_stored(p);
  a.steps_done = j.at("steps_done").get<std::vector<int64_t>>();
  return a;
}

nlohmann::json to_json(const store::CheckpointWrite& w) {
  nlohmann::json losses = nlohmann::json::array(), examples = nlohmann::json::array(),
                 metrics = nlohmann::json::array();
  for (const auto& [step, loss] : w.step_losses) losses.push_back({step, number(loss)});
  for (const auto& e : w.examples) examples.push_back({e.task, e.example, e.record_json});
  for (const auto& m : w.metrics)
    metrics.push_back({m.task, m.metric, number(m.value), number(m.lower), number(m.upper),
                       number(m.standard_error), m.n, number(m.chance), m.continuous});
  const auto& c = w.checkpoint;
  return {{"step", c.step},
          {"tokens", c.tokens},
          {"flops", number(c.flops)},
          {"train_loss", number(c.train_loss)},
          {"validation_loss", number(c.validation_loss)},
          {"step_losses", losses},
          {"examples", examples},
          {"metrics", metrics}};
}

store::CheckpointWrite checkpoint_write_from_json(const nlohmann::json& j) {
  store::CheckpointWrite w;
  w.checkpoint = {j.at("step").get<int64_t>(), j.at("tokens").get<int64_t>(), read(j.at("flops")),
                  read(j.at("train_loss")), read(j.at("validation_loss"))};
  for (const auto& l : j.at("step_losses"))
    w.step_losses.emplace_back(l[0].get<int64_t>(), read(l[1]));
  for (const auto& e : j.at("examples"))
    w.examples.push_back({e[0].get<std::string>(), e[1].get<int64_t>(), e[2].get<std::string>()});
  for (const auto& m : j.at("metrics"))
    w.metrics.push_back({m[0].get<std::string>(), m[1].get<std::string>(), read(m[2]), read(m[3]),
                         read(m[4]), read(m[5]), m[6].get<int64_t>(), read(m[7]),
                         m[8].get<bool>()});
  return w;
}

nlohmann::json to_json(const store::RunTimes& t) {
  return {t.train_seconds, t.eval_seconds, t.write_seconds};
}

store::RunTimes run_times_from_json(const nlohmann::json& j) {
  return {j[0].get<double>(), j[1].get<double>(), j[2].get<double>()};
}

}  // namespace emlab::sweep
