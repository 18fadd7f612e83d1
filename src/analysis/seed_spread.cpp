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

}  // namespace emlab::analysis
