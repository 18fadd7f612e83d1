// emlab bench train: training throughput of the standard shapes, model FLOPs utilisation
// against the sgemm throughput measured in the same run. emlab bench gemm: a step's matrix
// products through OpenBLAS and emlab's AVX-512 product, side by side. emlab bench eval: greedy
// generation with and without the KV cache.
#include <fmt/format.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "cli/shared_options.hpp"
#include "core/error.hpp"
#include "core/provenance.hpp"
#include "core/threads.hpp"
#include "nn/blas.hpp"
#include "nn/gemm_avx512.hpp"
#include "nn/ops/attention_heads.hpp"
#include "train/gemm_bench.hpp"
#include "train/generation_bench.hpp"
#include "train/throughput.hpp"

namespace emlab::cli {

namespace {

// The standard shape of that name; an unknown name is refused with the known ones.
train::BenchShape bench_shape(const std::string& name) {
  std::string known;
  for (const auto& s : train::standard_bench_shapes()) {
    if (s.name == name) return s;
    known += (known.empty() ? "" : ", ") + s.name;
  }
  throw Error(fmt::format("--shapes: unknown shape '{}' (known: {})", name, known));
}

struct BenchTrainOptions {
  std::vector<std::string> shapes = {"tiny", "small", "medium", "text-64", "text-128", "text-256"};
  double seconds = 3.0;
  int threads = 0;
  std::string json_path;
};

void run_bench_train(const BenchTrainOptions& o) {
  set_thread_count(o.threads);
  std::vector<train::BenchShape> chosen;
  for (const auto& name : o.shapes) chosen.push_back(bench_shape(name));
  fmt::print("emlab bench train: {} threads, BLAS: {}\n", thread_count(), nn::blas_description());
  // The reference peak is the best of several timings (this VM's speed drifts by 10-20%).
  const double gemm512 = train::measure_sgemm_gflops(512, 1.0);
  const double gemm1024 = train::measure_sgemm_gflops(1024, 2.0);
  const double peak = std::max(gemm512, gemm1024);
  fmt::print("sgemm throughput before the shapes: n=512 {:.1f} GFLOP/s, n=1024 {:.1f} GFLOP/s\n",
             gemm512, gemm1024);
  // Shapes first, then the sgemm peak again: this VM's speed drifts, and MFU divides by the best
  // sgemm seen on either side of the shapes.
  std::vector<train::ThroughputResult> measured;
  for (const auto& shape : chosen)
    measured.push_back(train::measure_training_throughput(shape, o.seconds, 3, /*paired=*/true));
  const double peak_after = train::measure_sgemm_gflops(1024, 2.0);
  const double best_peak = std::max(peak, peak_after);
  fmt::print("sgemm n=1024 after the shapes: {:.1f} GFLOP/s; MFU below uses {:.1f}\n", peak_after,
             best_peak);
  fmt::print(
      "paired MFU: the median over slices of {:.2f} s of steps of their GFLOP/s over the sgemm "
      "peak "
      "(n=512) timed just before and after each\n\n",
      train::kPairedSliceSeconds);
  fmt::print("{:<9} {:>9} {:>11} {:>10} {:>12} {:>10} {:>8} {:>8}\n", "shape", "params",
             "FLOP/token", "ms/step", "tokens/s", "GFLOP/s", "MFU", "paired");
  nlohmann::json results = nlohmann::json::array();
  for (size_t i = 0; i < chosen.size(); ++i) {
    const auto& shape = chosen[i];
    const auto& r = measured[i];
    const double mfu = r.model_gflops / best_peak;
    fmt::print("{:<9} {:>9} {:>11} {:>10.2f} {:>12.0f} {:>10.1f} {:>7.1f}% {:>7.1f}%\n", r.name,
               human_count(static_cast<double>(r.parameters)), human_count(r.flops_per_token),
               r.ms_per_step, r.tokens_per_second, r.model_gflops, 100 * mfu, 100 * r.paired_mfu);
    // The whole shape, so that a reference (bench/torch_train_bench.py) builds the same model.
    results.push_back({{"shape", r.name},
                       {"batch_size", shape.batch_size},
                       {"vocab", shape.model.vocab_size},
                       {"context", shape.model.context},
                       {"width", shape.model.width},
                       {"layers", shape.model.layers},
                       {"heads", shape.model.heads},
                       {"mlp_width", shape.model.mlp_width},
                       {"parameters", r.parameters},
                       {"flops_per_token", r.flops_per_token},
                       {"steps", r.steps},
                       {"seconds", r.seconds},
                       {"ms_per_step", r.ms_per_step},
                       {"tokens_per_second", r.tokens_per_second},
                       {"model_gflops", r.model_gflops},
                       {"mfu_vs_sgemm", mfu},
                       {"mfu_paired", r.paired_mfu},
                       {"paired_slices", r.slices}});
  }
  if (!o.json_path.empty()) {
    const nlohmann::json doc = {{"threads", thread_count()},
                                {"sgemm_gflops",
                                 {{"n512", gemm512},
                                  {"n1024", gemm1024},
                                  {"n1024_after", peak_after},
                                  {"best", best_peak}}},
                                {"blas", nn::blas_description()},
                                {"code_version", code_version()},
                                {"machine", machine_description()},
                                {"results", results}};
    write_json_file(o.json_path, doc);
  }
}

struct BenchGemmOptions {
  std::vector<std::string> shapes = {"tiny", "small", "medium", "text-64"};
  double seconds = 0.2;
};

const char* op_name(nn::Trans a, nn::Trans b) {
  return a == nn::Trans::kNo ? (b == nn::Trans::kNo ? "NN" : "NT")
                             : (b == nn::Trans::kNo ? "TN" : "TT");
}

void run_bench_gemm(const BenchGemmOptions& o) {
  const bool own = nn::gemm_avx512_compiled();
  fmt::print(
      "emlab bench gemm: each product of one training step on one thread, hot caches, best of "
      "{:.2g} s per product and backend (GFLOP/s)\nBLAS: {}\nemlab AVX-512: {}\n",
      o.seconds, nn::blas_description(),
      own ? "in this build" : "not in this build (compiled without AVX-512F)");
  for (const auto& name : o.shapes) {
    const train::BenchShape shape = bench_shape(name);
    fmt::print("\n{} (batch {}, context {}, width {}, vocabulary {})\n", name, shape.batch_size,
               shape.model.context, shape.model.width, shape.model.vocab_size);
    fmt::print("{:<34} {:>2} {:>6} {:>6} {:>6} {:>6} {:>10} {:>10} {:>7} {:>9}\n", "product", "op",
               "M", "N", "K", "/step", "OpenBLAS", "emlab", "ratio", "max|diff|");
    double blas_seconds = 0, own_seconds = 0;
    for (const auto& t : train::time_step_products(
             train::step_products(shape.model, shape.batch_size), o.seconds)) {
      const auto& p = t.product;
      const double flops = 2.0 * p.M * p.N * static_cast<double>(p.K) * p.per_step;
      blas_seconds += flops / (t.openblas_gflops * 1e9);
      if (own) own_seconds += flops / (t.own_gflops * 1e9);
      fmt::print("{:<34} {:>2} {:>6} {:>6} {:>6} {:>6} {:>10.1f} {:>10.1f} {:>6.2f}x {:>9.1e}\n",
                 p.role, op_name(p.trans_a, p.trans_b), p.M, p.N, p.K, p.per_step,
                 t.openblas_gflops, t.own_gflops, own ? t.own_gflops / t.openblas_gflops : 0.0,
                 t.largest_difference);
    }
    fmt::print("all of a step's products on one thread: OpenBLAS {:.2f} ms", 1e3 * blas_seconds);
    if (own)
      fmt::print(", emlab {:.2f} ms: {:.2f}x", 1e3 * own_seconds, blas_seconds / own_seconds);
    fmt::print("\n");
    const int head = shape.model.head_dim();
    if (nn::ops::attention_heads_fit(head, shape.model.context))
      fmt::print(
          "attention: heads of {} channels over {} positions run on vectors "
          "(nn/ops/attention_heads.cpp), not as products\n",
          head, shape.model.context);
  }
}

struct BenchEvalOptions {
  int examples = 64;
  int prompt_tokens = 48;
  int new_tokens = 48;
  int threads = 0;
};

void run_bench_eval(const BenchEvalOptions& o) {
  set_thread_count(o.threads);
  nn::ModelConfig medium;
  for (const auto& s : train::standard_bench_shapes())
    if (s.name == "medium") medium = s.model;
  fmt::print("emlab bench eval: greedy generation on the medium shape, {} threads\n",
             thread_count());
  fmt::print("{} examples, {} prompt tokens, {} new tokens each\n", o.examples, o.prompt_tokens,
             o.new_tokens);
  const auto r = train::measure_generation(medium, o.examples, o.prompt_tokens, o.new_tokens);
  fmt::print("with KV cache:       {:>9.1f} examples/s\n", r.cached_examples_per_second);
  fmt::print("full recomputation:  {:>9.1f} examples/s\n", r.uncached_examples_per_second);
  fmt::print("ratio:               {:>9.2f}x\n",
             r.cached_examples_per_second / r.uncached_examples_per_second);
}

}  // namespace

void register_bench(CLI::App& app) {
  CLI::App* bench = app.add_subcommand("bench", "Measure performance");
  bench->require_subcommand(1);
  auto o = std::make_shared<BenchTrainOptions>();
  CLI::App* train =
      bench->add_subcommand("train", "Training throughput and MFU of standard shapes");
  train
      ->add_option("--shapes", o->shapes,
                   "Shapes to run: tiny small medium text-64 text-128 text-256")
      ->delimiter(',');
  train->add_option("--seconds", o->seconds, "Timed seconds per shape (at least 3 steps)");
  train->add_option("--threads", o->threads, "Threads (0 = all cores)");
  train->add_option("--json", o->json_path, "Also write the results as JSON to this file");
  train->callback([o] { run_bench_train(*o); });

  auto g = std::make_shared<BenchGemmOptions>();
  CLI::App* gemm = bench->add_subcommand(
      "gemm", "A training step's matrix products: OpenBLAS and emlab's AVX-512 product");
  gemm->add_option("--shapes", g->shapes, "Shapes: tiny small medium text-64 text-128 text-256")
      ->delimiter(',');
  gemm->add_option("--seconds", g->seconds, "Timed seconds per product and backend");
  gemm->callback([g] { run_bench_gemm(*g); });

  auto e = std::make_shared<BenchEvalOptions>();
  CLI::App* eval = bench->add_subcommand("eval", "Greedy generation with and without the KV cache");
  eval->add_option("--examples", e->examples, "Prompts generated as one batch");
  eval->add_option("--prompt-tokens", e->prompt_tokens, "Tokens per prompt");
  eval->add_option("--new-tokens", e->new_tokens, "Tokens generated per prompt");
  eval->add_option("--threads", e->threads, "Threads (0 = all cores)");
  eval->callback([e] { run_bench_eval(*e); });
}

}  // namespace emlab::cli
