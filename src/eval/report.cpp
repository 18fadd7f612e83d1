#include "eval/report.hpp"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cmath>
#include <vector>

#include "core/format.hpp"

namespace emlab::eval {
namespace {

std::string number(double x) {
  return format_number(x);
}

nlohmann::json json_number(double x) {
  return std::isfinite(x) ? nlohmann::json(x) : nullptr;
}

std::string notes(const MetricSummary& m) {
  std::vector<std::string> parts;
  if (m.chance) parts.push_back(fmt::format("chance {}", number(*m.chance)));
  if (m.worse_than_chance) parts.emplace_back("WORSE THAN CHANCE");
  if (m.censored > 0) parts.push_back(fmt::format("{} censored", m.censored));
  return fmt::format("{}", fmt::join(parts, "; "));
}

}  // namespace

std::string format_table(const TaskSummary& summary) {
  const auto& b = summary.options.bootstrap;
  const std::string ci_header = fmt::format("{:g}% CI", 100.0 * b.level);
  std::string out = fmt::format(
      "task {}: {} records, resolution 1/n = {}; {} by bootstrap (percentile, {} resamples, seed "
      "{})\n",
      summary.task, summary.records, number(1.0 / static_cast<double>(summary.records)), ci_header,
      b.resamples, b.seed);
  // Rows are padded columns; the notes column is often empty, so trailing blanks are cut.
  auto add_row = [&out](const auto&... cells) {
    std::string row = fmt::format("{:<26} {:<13} {:<6} {:>10}  {:<23} {:>10} {:>6}  {}", cells...);
    row.erase(row.find_last_not_of(' ') + 1);
    out += row + '\n';
  };
  add_row("metric", "kind", "better", "value", ci_header, "SE", "n", "notes");
  for (const auto& m : summary.metrics) {
    const auto& e = m.estimate;
    add_row(m.name, m.continuous ? "continuous" : "discontinuous",
            m.higher_is_better ? "higher" : "lower", number(e.mean),
            fmt::format("[{}, {}]", number(e.lower), number(e.upper)), number(e.standard_error),
            e.n, notes(m));
  }
  return out;
}

nlohmann::json to_json(const TaskSummary& summary) {
  const auto& b = summary.options.bootstrap;
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& m : summary.metrics) {
    const auto& e = m.estimate;
    metrics.push_back({{"name", m.name},
                       {"kind", m.continuous ? "continuous" : "discontinuous"},
                       {"higher_is_better", m.higher_is_better},
                       {"value", json_number(e.mean)},
                       {"ci", {json_number(e.lower), json_number(e.upper)}},
                       {"standard_error", json_number(e.standard_error)},
                       {"n", e.n},
                       {"resolution", e.resolution()},
                       {"chance", m.chance ? json_number(*m.chance) : nullptr},
                       {"worse_than_chance", m.worse_than_chance},
                       {"censored", m.censored}});
  }
  return {{"task", summary.task},
          {"records", summary.records},
          {"bootstrap",
           {{"method", "percentile"},
            {"level", b.level},
            {"resamples", b.resamples},
            {"seed", b.seed}}},
          {"metrics", std::move(metrics)}};
}

}  // namespace emlab::eval
