// depth: does solving more hops need more layers? (Sanford, Hsu & Telgarsky 2024: k-hop
// induction needs depth that grows like log k; with 8 heads, d = 256 and 100k steps the largest
// solved k was 2, 4, 9, 16 for 2-5 layers.) For each depth among the completed runs, the
// accuracy on hop(k) for every k at the final checkpoint, and the largest k solved with error at
// most `max_error` together with every smaller k. Holds when that staircase grows with depth.
#include <fmt/format.h>

#include <cmath>

#include "results/depth_summary.hpp"
#include "study/study_kind.hpp"

namespace emlab::study {

namespace {

class DepthKind final : public StudyKind {
 public:
  DepthKind(results::DepthSetting setting, int max_layers)
      : setting_(std::move(setting)), max_layers_(max_layers) {}

  std::vector<std::string> tasks() const override { return setting_.tasks; }

  std::vector<std::string> measurement_names() const override {
    std::vector<std::string> names = {"depths",
                                      "staircase_grows",
                                      "strictly_grows",
                                      "largest_k_shallowest",
                                      "largest_k_deepest",
                                      "growth_per_layer"};
    for (int l = 1; l <= max_layers_; ++l) {
      names.push_back(fmt::format("largest_k_L{}", l));
      for (size_t k = 0; k < setting_.tasks.size(); ++k)
        names.push_back(fmt::format("accuracy_L{}_k{}", l, k + 1));
    }
    return names;
  }

  Measurements measure(const results::ResultSet& results) const override {
    Measurements out, table;
    std::vector<std::pair<int, int>> staircase;  // (layers, largest solved k)
    for (const results::DepthRow& row : results::depth_staircase(results, setting_)) {
      for (size_t k = 0; k < setting_.tasks.size(); ++k)
        table.add(fmt::format("accuracy_L{}_k{}", row.layers, k + 1), row.accuracy[k],
                  fmt::format("{} of {} at the final checkpoint, {} layer(s)", setting_.metric,
                              setting_.tasks[k], row.layers));
      staircase.emplace_back(row.layers, row.largest_k);
      out.add(fmt::format("largest_k_L{}", row.layers), row.largest_k,
              fmt::format("largest k with error <= {} on hop(1..k), {} layer(s) (0: not even "
                          "k = 1)",
                          setting_.max_error, row.layers));
    }
    out.add("depths", double(staircase.size()), "depths (layer counts) with a completed run");
    bool grows = staircase.size() >= 2, strictly = grows;
    for (size_t i = 1; i < staircase.size(); ++i) {
      grows = grows && staircase[i].second >= staircase[i - 1].second;
      strictly = strictly && staircase[i].second > staircase[i - 1].second;
    }
    const double first = staircase.empty() ? NAN : double(staircase.front().second);
    const double last = staircase.empty() ? NAN : double(staircase.back().second);
    grows = grows && last > first;
    out.add("staircase_grows", staircase.size() < 2 ? NAN : double(grows),
            "1 when the largest solved k never falls with depth and the deepest model solves more "
            "than the shallowest");
    out.add("strictly_grows", staircase.size() < 2 ? NAN : double(strictly),
            "1 when every added layer solves a larger k");
    out.add("largest_k_shallowest", first, "largest solved k of the shallowest model");
    out.add("largest_k_deepest", last, "largest solved k of the deepest model");
    // Sanford et al.'s shape: k about doubles per layer (growth 2). Defined when the shallowest
    // model solves at least k = 1.
    double growth = NAN;
    if (staircase.size() >= 2 && first >= 1) {
      const double layers = staircase.back().first - staircase.front().first;
      growth = std::pow(last / first, 1.0 / layers);
    }
    out.add("growth_per_layer", growth,
            "(largest k deepest / shallowest)^(1 / layers added): about 2 in Sanford et al. 2024; "
            "a floor when the deepest solves every k offered");
    for (const Measurement& m : table.all()) out.add(m.name, m.value, m.about);
    return out;
  }

 private:
  results::DepthSetting setting_;
  int max_layers_;
};

}  // namespace

std::unique_ptr<StudyKind> make_depth_kind(io::TomlSection& analysis) {
  results::DepthSetting setting;  // its defaults are the report's Depth section's too
  int max_layers = 8;
  analysis.read("tasks", setting.tasks);
  analysis.read("metric", setting.metric);
  analysis.read("max_error", setting.max_error);
  analysis.read("max_layers", max_layers);
  if (setting.tasks.empty())
    analysis.invalid("tasks", "give hop(k=1), hop(k=2), ... in order of k");
  for (size_t i = 0; i < setting.tasks.size(); ++i)
    if (results::hop_k(setting.tasks[i]) != int(i) + 1)
      analysis.invalid("tasks", fmt::format("item {} is '{}'; give hop(k=1), hop(k=2), ... in "
                                            "order of k",
                                            i + 1, setting.tasks[i]));
  if (!(setting.max_error >= 0 && setting.max_error < 1))
    analysis.invalid("max_error", "expected [0, 1)");
  if (max_layers < 1) analysis.invalid("max_layers", "expected at least 1");
  return std::make_unique<DepthKind>(std::move(setting), max_layers);
}

}  // namespace emlab::study
