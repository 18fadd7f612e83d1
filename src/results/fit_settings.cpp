#include "results/fit_settings.hpp"

#include "analysis/lse_huber_fit.hpp"

namespace emlab::results {

analysis::ChinchillaOptions report_chinchilla() {
  analysis::ChinchillaOptions options;
  options.bootstrap_resamples = kReportBootstrapResamples;
  options.starts = analysis::coarse_grid(2);
  return options;
}

analysis::ChinchillaOptions degeneracy_check_chinchilla() {
  analysis::ChinchillaOptions options;
  options.starts = analysis::coarse_grid(2);
  options.bootstrap_resamples = 0;
  return options;
}

analysis::PowerLawOptions report_power_law() {
  analysis::PowerLawOptions options;
  options.bootstrap_resamples = kReportBootstrapResamples;
  return options;
}

analysis::LossForecastOptions report_loss_forecast(const std::string& form) {
  analysis::LossForecastOptions options;
  options.form = form;
  options.full_grid = false;
  options.bootstrap_resamples = kReportBootstrapResamples;
  return options;
}

analysis::ObservationalOptions report_observational(double cutoff_flops) {
  analysis::ObservationalOptions options;
  options.cutoff_flops = cutoff_flops;
  options.bootstrap_resamples = 50;
  return options;
}

analysis::ChinchillaOptions study_chinchilla(int resamples) {
  analysis::ChinchillaOptions options;
  options.bootstrap_resamples = resamples;
  options.seed = 1;
  return options;
}

analysis::PowerLawOptions study_power_law(int resamples) {
  analysis::PowerLawOptions options;
  options.bootstrap_resamples = resamples;
  options.seed = 1;
  return options;
}

analysis::LossForecastOptions study_loss_forecast(int resamples) {
  analysis::LossForecastOptions options;
  options.bootstrap_resamples = resamples;
  options.seed = 1;
  return options;
}

analysis::ChinchillaOptions full_chinchilla(int resamples, uint64_t seed, double level) {
  analysis::ChinchillaOptions options;
  options.bootstrap_resamples = resamples;
  options.seed = seed;
  options.level = level;
  return options;
}

}  // namespace emlab::results
