#include "analysis/seed_spread.hpp"

#include "analysis/pass_until.hpp"

namespace emlab::analysis {

double SeedSpread::half_width() const {
  return dof > 0 ? student_t_975(dof) * sd : 0.0;
}

SeedSpread pooled_seed_spread(const std::vector<std::vector<double>>& cells) {
  SeedSpread out;
  double squares = 0;
  for (const std::vector<double>& cell : cells) {
    double sum = 0;
    int n = 0;
    for (double v : cell)
      if (std::isfinite(v)) sum += v, ++n;
    if (n < 2) continue;
    const double mean = sum / n;
    for (double v : cell)
      if (std::isfinite(v)) squares += (v - mean) * (v - mean);
    out.dof += n - 1;
  }
  if (out.dof > 0) out.sd = std::sqrt(squares / out.dof);
  return out;
}

Interval seed_mean_interval(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double v : values)
    if (std::isfinite(v)) finite.push_back(v);
  if (finite.size() < 2) return {NAN, NAN};
  const SeedSpread spread = pooled_seed_spread({finite});
  double sum = 0;
  for (double v : finite) sum += v;
  const double mean = sum / double(finite.size());
  const double half = spread.half_width() / std::sqrt(double(finite.size()));
  return {mean - half, mean + half};
}

}  // namespace emlab::analysis
