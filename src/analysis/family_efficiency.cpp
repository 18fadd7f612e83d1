#include "analysis/family_efficiency.hpp"

#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <map>

#include "analysis/principal_components.hpp"
#include "core/error.hpp"

namespace emlab::analysis {

double FamilyEfficiency::compute_ratio(const std::string& family,
                                       const std::string& reference) const {
  const auto offset_of = [&](const std::string& name) {
    for (const FamilyOffset& f : offsets)
      if (f.family == name) return f.offset;
    fail("family efficiency: no family '{}'", name);
  };
  return std::pow(10.0, (offset_of(reference) - offset_of(family)) / slope);
}

const FamilyOffset& FamilyEfficiency::largest_family() const {
  require(!offsets.empty(), "family efficiency: no family");
  const FamilyOffset* best = &offsets.front();
  for (const FamilyOffset& f : offsets)
    if (f.models > best->models || (f.models == best->models && f.family < best->family)) best = &f;
  return *best;
}

FamilyEfficiency fit_family_efficiency(const std::vector<double>& capability,
                                       const std::vector<double>& log10_flops,
                                       const std::vector<std::string>& family) {
  const size_t n = capability.size();
  require(log10_flops.size() == n && family.size() == n,
          "family efficiency: {} capabilities, {} FLOPs, {} families", n, log10_flops.size(),
          family.size());
  std::map<std::string, std::vector<size_t>> members;
  for (size_t i = 0; i < n; ++i) {
    require(std::isfinite(capability[i]) && std::isfinite(log10_flops[i]),
            "family efficiency: model {} has no finite capability or FLOPs", i + 1);
    members[family[i]].push_back(i);
  }
  bool slope_told = false;
  for (const auto& [name, rows] : members)
    for (size_t i : rows) slope_told |= log10_flops[i] != log10_flops[rows.front()];
  require(slope_told,
          "family efficiency: no family has two models at different compute, so the slope "
          "shared by the families is not told by the data");
  // Columns: log10 FLOPs, then one indicator per family (no common intercept).
  Eigen::MatrixXd x = Eigen::MatrixXd::Zero(Eigen::Index(n), Eigen::Index(1 + members.size()));
  Eigen::VectorXd y(static_cast<Eigen::Index>(n));
  Eigen::Index column = 1;
  for (const auto& [name, rows] : members) {
    for (size_t i : rows) x(Eigen::Index(i), column) = 1.0;
    ++column;
  }
  for (size_t i = 0; i < n; ++i) {
    x(Eigen::Index(i), 0) = log10_flops[i];
    y(Eigen::Index(i)) = capability[i];
  }
  const Eigen::VectorXd beta = x.colPivHouseholderQr().solve(y);
  FamilyEfficiency out;
  out.slope = beta(0);
  out.models = n;
  column = 1;
  for (const auto& [name, rows] : members)
    out.offsets.push_back({name, rows.size(), beta(column++)});
  std::stable_sort(
      out.offsets.begin(), out.offsets.end(),
      [](const FamilyOffset& a, const FamilyOffset& b) { return a.offset > b.offset; });
  const double rss = (x * beta - y).squaredNorm();
  const double dof = double(n) - double(x.cols());
  out.residual_sd = dof > 0 ? std::sqrt(rss / dof) : std::nan("");
  return out;
}

FamilyEfficiency family_efficiency(const CapabilityTable& table) {
  const auto models = complete_models(table, true);
  const PrincipalComponents pc = principal_components(capability_rows(models));
  std::vector<double> capability, log_flops;
  std::vector<std::string> family;
  for (const CapabilityModel* m : models) {
    capability.push_back(pc.project(m->capability, 1)[0]);
    log_flops.push_back(std::log10(m->flops));
    family.push_back(m->family.empty() ? "(no family)" : m->family);
  }
  return fit_family_efficiency(capability, log_flops, family);
}

}  // namespace emlab::analysis
