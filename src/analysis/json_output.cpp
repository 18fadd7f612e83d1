#include "analysis/json_output.hpp"

#include <cmath>

namespace emlab::analysis {
namespace {

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json interval(const Interval& i) {
  return {number(i.lower), number(i.upper)};
}

}  // namespace

nlohmann::json to_json(const Estimate& e) {
  return {{"estimate", number(e.value)}, {"interval", interval(e.interval)}};
}

nlohmann::json to_json(const ChinchillaFit& fit) {
  return {{"form", "L(N, D) = E + A/N^alpha + B/D^beta"},
          {"method",
           "Hoffmann et al. 2022 approach 3: log-sum-exp, Huber delta 1e-3 summed, "
           "L-BFGS (Ceres) from a grid, best kept; nonparametric bootstrap"},
          {"points", fit.points},
          {"starts", fit.starts},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", number(fit.objective)},
          {"converged", fit.converged},
          {"E", to_json(fit.E)},
          {"A", to_json(fit.A)},
          {"B", to_json(fit.B)},
          {"alpha", to_json(fit.alpha)},
          {"beta", to_json(fit.beta)},
          {"seconds_grid", fit.seconds_grid},
          {"seconds_bootstrap", fit.seconds_bootstrap}};
}

nlohmann::json to_json(const ComputeOptimalEstimate& e) {
  return {{"compute", number(e.compute)},
          {"params", to_json(e.params)},
          {"tokens", to_json(e.tokens)},
          {"tokens_per_param", to_json(e.tokens_per_param)}};
}

nlohmann::json to_json(const PowerLawFit& fit) {
  return {{"form", "L(X) = E + A*X^-alpha"},
          {"points", fit.points},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", number(fit.objective)},
          {"E", to_json(fit.E)},
          {"A", to_json(fit.A)},
          {"alpha", to_json(fit.alpha)}};
}

nlohmann::json to_json(const KaplanFit& fit) {
  return {{"form", "L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D"},
          {"points", fit.points},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", number(fit.objective)},
          {"N_c", to_json(fit.n_c)},
          {"D_c", to_json(fit.d_c)},
          {"alpha_N", to_json(fit.alpha_n)},
          {"alpha_D", to_json(fit.alpha_d)}};
}

nlohmann::json to_json(const HeldOutScore& s) {
  return {{"form", s.form},
          {"train_points", s.train_points},
          {"test_points", s.test_points},
          {"rmse_log_loss", number(s.rmse_log)},
          {"mean_abs_rel_error", number(s.mean_abs_rel_error)},
          {"max_abs_rel_error", number(s.max_abs_rel_error)}};
}

nlohmann::json to_json(const AllocationEstimate& a) {
  auto allocation = [](const Allocation& x) {
    return nlohmann::json{{"params", number(x.params)},
                          {"train_tokens", number(x.train_tokens)},
                          {"train_flops", number(x.train_flops)},
                          {"inference_flops", number(x.inference_flops)},
                          {"total_flops", number(x.total_flops)}};
  };
  return {{"inference_aware", allocation(a.best)},
          {"chinchilla_optimal_same_loss", allocation(a.chinchilla)},
          {"params", to_json(a.params)},
          {"train_tokens", to_json(a.train_tokens)},
          {"total_flops", to_json(a.total_flops)},
          {"unreachable_resamples", a.unreachable_resamples}};
}

nlohmann::json to_json(const LossForecast& f) {
  nlohmann::json rows = nlohmann::json::array();
  for (const auto& r : f.rows)
    rows.push_back({{"model", r.model},
                    {"line", r.line},
                    {"scale", number(r.scale)},
                    {"observed", number(r.observed)},
                    {"predicted", number(r.predicted)},
                    {"interval", interval(r.interval)},
                    {"relative_error", number(r.relative_error)}});
  return {{"form", f.form},
          {"cutoff_axis", axis_name(f.cutoff_axis)},
          {"cutoff", number(f.cutoff)},
          {"train_points", f.train_points},
          {"held_out", rows},
          {"mean_abs_rel_error", number(f.mean_abs_rel_error)},
          {"max_abs_rel_error", number(f.max_abs_rel_error)},
          {"interval_coverage", number(f.interval_coverage)}};
}

nlohmann::json to_json(const AbilityForecast& f) {
  nlohmann::json held = nlohmann::json::array();
  for (size_t i = 0; i < f.held_out_x.size(); ++i)
    held.push_back({{"x", number(f.held_out_x[i])},
                    {"observed", number(f.held_out_observed[i])},
                    {"predicted", number(f.held_out_predicted[i])}});
  return {{"curve", f.label},
          {"level", number(f.level)},
          {"cutoff", number(f.cutoff)},
          {"train_points", f.train_points},
          {"predicted_crossing", number(f.predicted_crossing)},
          {"predicted_interval", interval(f.predicted_interval)},
          {"observed_crossing", number(f.observed_crossing)},
          {"crossing_error", number(f.crossing_error)},
          {"held_out", held}};
}

}  // namespace emlab::analysis
