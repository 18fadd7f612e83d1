#include "analysis/json_output.hpp"

#include <cmath>

namespace emlab::analysis {
nlohmann::json json_number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json();
}

nlohmann::json json_interval(const Interval& i) {
  return {json_number(i.lower), json_number(i.upper)};
}

nlohmann::json to_json(const Estimate& e) {
  return {{"estimate", json_number(e.value)}, {"interval", json_interval(e.interval)}};
}

nlohmann::json to_json(const ChinchillaFit& fit) {
  return {{"form", "L(N, D) = E + A/N^alpha + B/D^beta"},
          {"method",
           "Hoffmann et al. 2022 approach 3: log-sum-exp, Huber delta 1e-3 summed, "
           "L-BFGS (Ceres) from a grid, best kept; nonparametric bootstrap"},
          {"points", fit.points},
          {"starts", fit.starts},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", json_number(fit.objective)},
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
  return {{"compute", json_number(e.compute)},
          {"params", to_json(e.params)},
          {"tokens", to_json(e.tokens)},
          {"tokens_per_param", to_json(e.tokens_per_param)}};
}

nlohmann::json to_json(const PowerLawFit& fit) {
  return {{"form", "L(X) = E + A*X^-alpha"},
          {"points", fit.points},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", json_number(fit.objective)},
          {"E", to_json(fit.E)},
          {"A", to_json(fit.A)},
          {"alpha", to_json(fit.alpha)}};
}

nlohmann::json to_json(const KaplanFit& fit) {
  return {{"form", "L(N, D) = [(N_c/N)^(alpha_N/alpha_D) + D_c/D]^alpha_D"},
          {"points", fit.points},
          {"bootstrap_resamples", fit.bootstrap.size()},
          {"objective", json_number(fit.objective)},
          {"N_c", to_json(fit.n_c)},
          {"D_c", to_json(fit.d_c)},
          {"alpha_N", to_json(fit.alpha_n)},
          {"alpha_D", to_json(fit.alpha_d)}};
}

nlohmann::json to_json(const HeldOutScore& s) {
  return {{"form", s.form},
          {"train_points", s.train_points},
          {"test_points", s.test_points},
          {"rmse_log_loss", json_number(s.rmse_log)},
          {"mean_abs_rel_error", json_number(s.mean_abs_rel_error)},
          {"max_abs_rel_error", json_number(s.max_abs_rel_error)}};
}

nlohmann::json to_json(const AllocationEstimate& a) {
  auto allocation = [](const Allocation& x) {
    return nlohmann::json{{"params", json_number(x.params)},
                          {"train_tokens", json_number(x.train_tokens)},
                          {"train_flops", json_number(x.train_flops)},
                          {"inference_flops", json_number(x.inference_flops)},
                          {"total_flops", json_number(x.total_flops)}};
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
                    {"scale", json_number(r.scale)},
                    {"observed", json_number(r.observed)},
                    {"predicted", json_number(r.predicted)},
                    {"interval", json_interval(r.interval)},
                    {"relative_error", json_number(r.relative_error)}});
  return {{"form", f.form},
          {"cutoff_axis", axis_name(f.cutoff_axis)},
          {"cutoff", json_number(f.cutoff)},
          {"train_points", f.train_points},
          {"held_out", rows},
          {"mean_abs_rel_error", json_number(f.mean_abs_rel_error)},
          {"max_abs_rel_error", json_number(f.max_abs_rel_error)},
          {"interval_coverage", json_number(f.interval_coverage)}};
}

nlohmann::json to_json(const AbilityForecast& f) {
  nlohmann::json held = nlohmann::json::array();
  for (size_t i = 0; i < f.held_out_x.size(); ++i)
    held.push_back({{"x", json_number(f.held_out_x[i])},
                    {"observed", json_number(f.held_out_observed[i])},
                    {"predicted", json_number(f.held_out_predicted[i])}});
  return {{"curve", f.label},
          {"level", json_number(f.level)},
          {"cutoff", json_number(f.cutoff)},
          {"train_points", f.train_points},
          {"predicted_crossing", json_number(f.predicted_crossing)},
          {"predicted_interval", json_interval(f.predicted_interval)},
          {"observed_crossing", json_number(f.observed_crossing)},
          {"crossing_error", json_number(f.crossing_error)},
          {"held_out", held}};
}

}  // namespace emlab::analysis
