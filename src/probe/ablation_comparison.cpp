#include "probe/ablation_comparison.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <utility>

#include "eval/evaluator.hpp"
#include "eval/task_summary.hpp"
#include "nn/gpt.hpp"
#include "probe/context_losses.hpp"
#include "probe/repeated_blocks.hpp"
#include "tasks/factory.hpp"
#include "train/token_stream.hpp"

namespace emlab::probe {

namespace {

// Loss and task metrics of the model as it is now (ablated or not), on fixed examples.
std::vector<std::pair<std::string, double>> behaviour(nn::Gpt& model, const ProbeOptions& o,
                                                      const AblationSetup& setup) {
  std::vector<std::pair<std::string, double>> out;
  const int batch = model.max_batch();
  const auto held_out = setup.held_out();
  const int T = model.config().context;
  std::vector<int32_t> tokens(static_cast<size_t>(batch) * T), targets(tokens.size());
  double loss = 0;
  int batches = 0;
  for (int first = 0; first < o.icl_rows; first += batch, ++batches) {
    held_out->next_batch(batch, T, tokens.data(), targets.data());
    loss += model.forward(tokens.data(), targets.data(), batch, T);
  }
  out.emplace_back("held-out loss", loss / batches);
  const auto blocks =
      make_repeated_blocks(o.rows, o.block, o.repeats, o.first_token, o.last_token, o.seed);
  const RepeatLosses r = repeat_losses(model, blocks);
  out.emplace_back("repeat_loss_first", r.first);
  out.emplace_back("repeat_loss_repeated", r.repeated);
  eval::EvalOptions eval_options;
  eval_options.examples = setup.examples;
  eval_options.batch = batch;
  for (const std::string& spec : setup.tasks) {
    const auto task = tasks::make_task(tasks::parse_task_spec(spec));
    const auto summary = eval::summarise_task(eval::evaluate_task(model, *task, eval_options));
    for (const auto& m : summary.metrics)
      out.emplace_back(fmt::format("{} {}", spec, m.name), m.estimate.mean);
  }
  return out;
}

}  // namespace

AblationComparison compare_ablation(nn::Gpt& model, const ProbeOptions& o, AblationSetup setup) {
  nn::Ablation& ablation = setup.ablation;
  ablation.check_fits(model.config());
  if (ablation.mode() == nn::Ablation::Mode::kMean) {
    // The means come from the repeated-block probe batch: the same seed, the same means.
    const auto blocks = make_repeated_blocks(std::min(o.rows, model.max_batch()), o.block,
                                             o.repeats, o.first_token, o.last_token, o.seed);
    ablation.measure_means(model, blocks.tokens.data(), blocks.rows, blocks.length());
  }
  const auto intact = behaviour(model, o, setup);
  model.set_ablation(ablation);
  const auto ablated = behaviour(model, o, setup);
  model.clear_ablation();
  AblationComparison out{ablation.describe(), {}};
  for (size_t i = 0; i < intact.size(); ++i)
    out.measures.push_back({intact[i].first, intact[i].second, ablated[i].second});
  return out;
}

}  // namespace emlab::probe
