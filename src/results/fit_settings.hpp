#pragma once
// The fit settings of every reader of a results database, one per purpose and named here, so
// that the same purpose always fits the same way and a reader can see why two numbers differ.
#include <cstdint>
#include <string>

#include "analysis/chinchilla_fit.hpp"
#include "analysis/forecast.hpp"
#include "analysis/observational_backtest.hpp"
#include "analysis/power_law_fit.hpp"

namespace emlab::results {

// The report's page is rebuilt on every change of a live sweep: enough bootstrap resamples for
// stable 95% percentiles of a handful of points, cheap enough to rebuild on every request.
inline constexpr int kReportBootstrapResamples = 400;

// Report: Chinchilla's L(N, D) on the best of 32 starts, not Hoffmann's 4,500 (a flat landscape
// makes the full grid take seconds on every rebuild).
analysis::ChinchillaOptions report_chinchilla();
// Report: the same 32 starts without a bootstrap, only to tell whether L(N, D) is degenerate on
// the points before forecasting with it.
analysis::ChinchillaOptions degeneracy_check_chinchilla();
// Report: power laws in one variable (compute, N or D).
analysis::PowerLawOptions report_power_law();
// Report: the largest runs' loss predicted from the smaller ones.
analysis::LossForecastOptions report_loss_forecast(const std::string& form);

// Report: the observational backtest at a FLOPs cutoff, Ruan et al.'s 3 components, 50 resamples
// of the models (each refits every task twice: on the Sloth table the section takes seconds).
analysis::ObservationalOptions report_observational(double cutoff_flops);

// Study kinds: one-variable power laws (L(N) or L(D) alone), seed 1.
analysis::PowerLawOptions study_power_law(int resamples);

// Study verdicts: the full grid of starts, seed 1, the study's own number of resamples.
analysis::ChinchillaOptions study_chinchilla(int resamples);
analysis::LossForecastOptions study_loss_forecast(int resamples);

// `emlab fit`: Hoffmann's full grid with the user's resamples, seed and interval level.
analysis::ChinchillaOptions full_chinchilla(int resamples, uint64_t seed, double level);

}  // namespace emlab::results
