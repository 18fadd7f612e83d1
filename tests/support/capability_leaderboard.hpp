#pragma once
// A synthetic leaderboard with a known capability space and known family efficiencies, for the
// observational scaling tests: 6 families × 6 models at training compute 10^(21 + 0.4 i + 0.1 f);
// two latent capabilities, c1 = 0.2·log10(FLOPs) + offset[family] (centred) and a small c2
// orthogonal to it; five benchmark scores 0.5 + c1·u1 + c2·u2 for orthonormal u1, u2 (so the
// principal components are exactly u1 and u2, with variance shares from c1 and c2); one target,
// "emergent", = 0.25 + 0.7·σ(8·c1 + 20·c2 − 1) with its chance level 0.25 known.
#include <fmt/format.h>

#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "analysis/capability_table.hpp"

namespace emlab::testing {

struct SyntheticCapability {
  analysis::CapabilityTable table;
  std::vector<double> u1, u2;     // the true loadings
  double share1 = 0, share2 = 0;  // the true variance shares (the rest are 0)
  std::vector<double> c1, c2;     // each model's latent capabilities (centred)
  double slope = 0.2;             // c1 per decade of compute
  std::vector<double> offsets = {0, 0.35, -0.25, 0.5, -0.45, 0.15};  // per family f0..f5
  double target(size_t i) const {
    return 0.25 + 0.7 / (1 + std::exp(-(8 * c1[i] + 20 * c2[i] - 1)));
  }
};

inline std::vector<double> unit(std::vector<double> v) {
  const double norm = std::sqrt(std::inner_product(v.begin(), v.end(), v.begin(), 0.0));
  for (double& x : v) x /= norm;
  return v;
}

inline SyntheticCapability synthetic_capability() {
  SyntheticCapability s;
  s.table.capability_tasks = {"arc", "hellaswag", "mmlu", "truthfulqa", "winogrande"};
  s.table.target_tasks = {"emergent"};
  s.table.target_chance = {0.25};
  s.u1 = unit({0.5, 0.4, 0.6, 0.3, 0.37});
  std::vector<double> u2 = {1, -1, 0.5, -0.5, 0.2};
  const double along = std::inner_product(u2.begin(), u2.end(), s.u1.begin(), 0.0);
  for (size_t j = 0; j < u2.size(); ++j) u2[j] -= along * s.u1[j];
  s.u2 = unit(u2);
  if (std::accumulate(s.u2.begin(), s.u2.end(), 0.0) < 0)  // signed as principal_components()
    for (double& x : s.u2) x = -x;
  std::vector<double> log_flops;
  for (int f = 0; f < 6; ++f)
    for (int i = 0; i < 6; ++i) {
      log_flops.push_back(21 + 0.4 * i + 0.1 * f);
      s.c1.push_back(s.slope * log_flops.back() + s.offsets[size_t(f)]);
      s.c2.push_back(0.05 * std::sin(2.3 * i + 1.1 * f));
      analysis::CapabilityModel m;
      m.name = fmt::format("f{}-{}", f, i);
      m.family = fmt::format("f{}", f);
      m.flops = std::pow(10.0, log_flops.back());
      s.table.models.push_back(m);
    }
  const auto centre = [](std::vector<double>& v) {
    const double mean = std::accumulate(v.begin(), v.end(), 0.0) / double(v.size());
    for (double& x : v) x -= mean;
  };
  centre(s.c1);
  centre(s.c2);
  const double c1c1 = std::inner_product(s.c1.begin(), s.c1.end(), s.c1.begin(), 0.0);
  const double c1c2 = std::inner_product(s.c1.begin(), s.c1.end(), s.c2.begin(), 0.0);
  for (size_t i = 0; i < s.c2.size(); ++i) s.c2[i] -= c1c2 / c1c1 * s.c1[i];
  const double c2c2 = std::inner_product(s.c2.begin(), s.c2.end(), s.c2.begin(), 0.0);
  s.share1 = c1c1 / (c1c1 + c2c2);
  s.share2 = c2c2 / (c1c1 + c2c2);
  for (size_t i = 0; i < s.table.models.size(); ++i) {
    auto& m = s.table.models[i];
    for (size_t j = 0; j < s.u1.size(); ++j)
      m.capability.push_back(0.5 + s.c1[i] * s.u1[j] + s.c2[i] * s.u2[j]);
    m.targets = {s.target(i)};
  }
  return s;
}

}  // namespace emlab::testing
