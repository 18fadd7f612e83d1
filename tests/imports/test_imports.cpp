// The importers on the real files of tests/data/import/ (values spot-checked against the raw
// JSON by hand) and on hand-written fixtures whose re-scored values were computed by hand.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <set>

#include "imports/bigbench_results.hpp"
#include "imports/import_store.hpp"
#include "imports/importer.hpp"
#include "imports/lm_eval_results.hpp"
#include "imports/lm_eval_samples.hpp"
#include "imports/metric_naming.hpp"
#include "imports/model_metadata.hpp"
#include "imports/table_imports.hpp"
#include "support/error_message.hpp"

namespace emlab::imports {
namespace {

namespace fs = std::filesystem;

std::string data(const std::string& relative) {
  return std::string(EMLAB_TEST_DATA) + "/import/" + relative;
}

const Score& score(const ImportedCheckpoint& c, const std::string& task,
                   const std::string& metric) {
  for (const Score& s : c.scores)
    if (s.task == task && s.metric == metric) return s;
  ADD_FAILURE() << "no score " << task << " / " << metric;
  static const Score none;
  return none;
}

bool has_task(const ImportedCheckpoint& c, const std::string& task) {
  for (const Score& s : c.scores)
    if (s.task == task) return true;
  return false;
}

// --- lm-evaluation-harness results -------------------------------------------------------------

TEST(LmEvalResults, Pre04PythiaIntermediateCheckpoint) {
  // pythia/raw/410m_step13000.json: "pretrained=EleutherAI/pythia-v1.1-410m,revision=step13000";
  // results.hendrycksTest-public_relations = {acc 0.2727272727272727, acc_stderr
  // 0.04265792110940588, acc_norm 0.21818181818181817, ...}.
  auto file = read_lm_eval_results(data("pythia/raw/410m_step13000.json"));
  ASSERT_EQ(file.checkpoints.size(), 1u);
  ImportedCheckpoint& c = file.checkpoints[0];
  EXPECT_EQ(c.model.name, "pythia-v1.1-410m");
  EXPECT_EQ(c.model.source, "EleutherAI/pythia-v1.1-410m");
  EXPECT_EQ(c.model.step, 13000);
  const Score& acc = score(c, "hendrycksTest-public_relations", "acc");
  EXPECT_DOUBLE_EQ(acc.value, 0.2727272727272727);
  EXPECT_DOUBLE_EQ(acc.standard_error, 0.04265792110940588);
  EXPECT_FALSE(acc.continuous);
  EXPECT_DOUBLE_EQ(acc.chance, 0.25);
  const Score& gender = score(c, "crows_pairs_english_gender", "likelihood_difference");
  EXPECT_DOUBLE_EQ(gender.value, 2.51494140625);
  EXPECT_TRUE(gender.continuous);

  complete_model_facts(c.model, {});       // Pythia: facts that ship with emlab
  EXPECT_EQ(c.model.name, "pythia-410m");  // one name however a file spells it
  EXPECT_EQ(c.model.family, "pythia");
  EXPECT_EQ(c.model.params, 405'334'016);
  EXPECT_EQ(c.model.non_embedding_params, 302'311'424);
  EXPECT_EQ(c.model.checkpoint_tokens, 13000.0 * 2'097'152);
  EXPECT_EQ(c.model.tokens, 143000.0 * 2'097'152);
  EXPECT_DOUBLE_EQ(c.model.flops, 6.0 * 405'334'016 * 143000.0 * 2'097'152);
}

TEST(LmEvalResults, Pre04FiveShotTasksCarryTheirShots) {
  // pythia/raw/410m-5shot_step143000.json: config.num_fewshot = 5.
  const auto file = read_lm_eval_results(data("pythia/raw/410m-5shot_step143000.json"));
  const auto& c = file.checkpoints[0];
  EXPECT_TRUE(has_task(c, "arc_easy_5shot"));
  EXPECT_FALSE(has_task(c, "arc_easy"));
}

TEST(LmEvalResults, V04WithGroupsSamplesAndParameters) {
  // Llama-3.2-1B: config.model_args "pretrained=meta-llama/Llama-3.2-1B,trust_remote_code=True",
  // model_num_parameters 1235814400; arc_challenge acc,none 0.3122866894197952 (stderr
  // 0.013542598541688067), acc_norm,none 0.3643344709897611; n-samples effective 1172; mmlu
  // acc,none 0.3673978065802592 (a group).
  const auto file = read_lm_eval_results(
      data("lm_eval/v0.4/meta-llama__Llama-3.2-1B__results_2025-03-03T00-05-19.750676.json"));
  const auto& c = file.checkpoints[0];
  EXPECT_EQ(c.model.name, "Llama-3.2-1B");
  EXPECT_EQ(c.model.params, 1235814400.0);
  EXPECT_EQ(c.model.step, -1);
  const Score& acc = score(c, "arc_challenge", "acc");
  EXPECT_DOUBLE_EQ(acc.value, 0.3122866894197952);
  EXPECT_DOUBLE_EQ(acc.standard_error, 0.013542598541688067);
  EXPECT_EQ(acc.n, 1172);
  EXPECT_DOUBLE_EQ(score(c, "arc_challenge", "acc_norm").value, 0.3643344709897611);
  EXPECT_DOUBLE_EQ(score(c, "mmlu", "acc").value, 0.3673978065802592);
  EXPECT_DOUBLE_EQ(score(c, "mmlu", "acc").chance, 0.25);
}

TEST(LmEvalResults, V04FiltersBecomeTasksAndNotApplicableStderrIsUnknown) {
  // Llama-3-8B-Instruct, gsm8k_cot_llama (n-shot 5): exact_match,strict-match 0.7725549658832449,
  // exact_match,flexible-extract 0.7778620166793025.
  const auto llama = read_lm_eval_results(
      data("lm_eval/v0.4/"
           "meta-llama__Meta-Llama-3-8B-Instruct__results_2024-08-25T21-59-12.123082.json"));
  const auto& c = llama.checkpoints[0];
  EXPECT_DOUBLE_EQ(score(c, "gsm8k_cot_llama_5shot:strict-match", "exact_match").value,
                   0.7725549658832449);
  EXPECT_DOUBLE_EQ(score(c, "gsm8k_cot_llama_5shot:flexible-extract", "exact_match").value,
                   0.7778620166793025);
  EXPECT_TRUE(std::isnan(c.model.params));  // this file does not give N
  // Qwen3-8B: model_args is an object; negotiationtom micro_f1_stderr,none is "N/A", and its
  // sample_count gives 20 examples for micro_f1 and 40 for acc.
  const auto qwen = read_lm_eval_results(
      data("lm_eval/v0.4/Qwen__Qwen3-8B__results_2026-07-08T16-04-34.219874.json"));
  const auto& q = qwen.checkpoints[0];
  EXPECT_EQ(q.model.name, "Qwen3-8B");
  EXPECT_EQ(q.model.params, 8190735360.0);
  const Score& f1 = score(q, "negotiationtom", "micro_f1");
  EXPECT_DOUBLE_EQ(f1.value, 0.30188679245283023);
  EXPECT_TRUE(std::isnan(f1.standard_error));
  EXPECT_EQ(f1.n, 20);
  EXPECT_EQ(score(q, "negotiationtom", "acc").n, 40);
  EXPECT_DOUBLE_EQ(score(q, "negotiationtom_belief", "acc").value, 0.45);
  EXPECT_EQ(score(q, "negotiationtom_belief", "acc").n, 20);
}

TEST(LmEvalResults, AFileWithoutAModelNeedsOne) {
  const std::string path = data("lm_eval/pre0.4_testdata/arithmetic_2da-v0-res.json");
  const std::string message = testing::error_message([&] { read_lm_eval_results(path); });
  EXPECT_NE(message.find(path), std::string::npos) << message;
  EXPECT_NE(message.find("--model"), std::string::npos) << message;
  const auto file = read_lm_eval_results(path, {.model = "gpt2", .family = ""});
  EXPECT_DOUBLE_EQ(score(file.checkpoints[0], "arithmetic_2da", "acc").value, 0.0);
}

TEST(LmEvalResults, ModelArgsParse) {
  const auto a =
      parse_model_args("use_accelerate=True,pretrained=EleutherAI/pythia-1b,revision=step3000");
  EXPECT_EQ(a.pretrained, "EleutherAI/pythia-1b");
  EXPECT_EQ(a.step, 3000);
  EXPECT_EQ(parse_model_args("pretrained=x,revision=main").step, -1);
  EXPECT_EQ(model_short_name("/models/opt-125m/"), "opt-125m");
}

TEST(LmEvalResults, MalformedFilesFailClearly) {
  const fs::path dir = fs::temp_directory_path() / "emlab_imports_bad";
  fs::create_directories(dir);
  const auto write = [&](const std::string& name, const std::string& text) {
    const std::string path = (dir / name).string();
    std::ofstream(path) << text;
    return path;
  };
  const std::string broken = write("broken.json", "{\"results\": {");
  EXPECT_NE(testing::error_message([&] { read_lm_eval_results(broken); }).find("not valid JSON"),
            std::string::npos);
  const std::string other = write("other.json", "[1, 2]");
  EXPECT_NE(testing::error_message([&] {
              read_lm_eval_results(other);
            }).find("not an lm-evaluation-harness results file"),
            std::string::npos);
  const std::string empty = write("empty.json", R"({"results": {"t": {"alias": "t"}},
      "config": {"model_args": "pretrained=a/b"}})");
  EXPECT_NE(testing::error_message([&] { read_lm_eval_results(empty); }).find("no numeric metric"),
            std::string::npos);
  const std::string task = write("task.json", R"({"results": {"t": 3},
      "config": {"model_args": "pretrained=a/b"}})");
  EXPECT_NE(testing::error_message([&] { read_lm_eval_results(task); }).find("results.t"),
            std::string::npos);
}

// --- metadata ----------------------------------------------------------------------------------

TEST(ModelMetadata, PythiaNamesAreRecognisedAndSizesMatchTheArchitectures) {
  for (const char* name : {"pythia-160m", "pythia-v1.1-160m", "EleutherAI/pythia-160m-deduped",
                           "pythia-160m-deduped-v0"})
    EXPECT_TRUE(recognise_pythia(name).has_value()) << name;
  EXPECT_FALSE(recognise_pythia("pythia-13m").has_value());
  EXPECT_FALSE(recognise_pythia("opt-125m").has_value());
  EXPECT_TRUE(recognise_pythia("pythia-1b-bf16").has_value());
  EXPECT_TRUE(recognise_pythia("pythia-410m-deduped")->deduplicated);
  // Non-embedding parameters of a GPT-NeoX block: 12d² weights + 13d biases and norms per layer,
  // plus the final norm (2d); embeddings in and out (untied): 2·V·d with the padded vocabulary.
  struct Arch {
    const char* size;
    double layers, width, vocab;
  };
  for (const Arch& a :
       {Arch{"70m", 6, 512, 50304}, Arch{"160m", 12, 768, 50304}, Arch{"410m", 24, 1024, 50304},
        Arch{"1b", 16, 2048, 50304}, Arch{"1.4b", 24, 2048, 50304}, Arch{"2.8b", 32, 2560, 50304},
        Arch{"6.9b", 32, 4096, 50432}, Arch{"12b", 36, 5120, 50688}}) {
    const auto p = recognise_pythia(std::string("pythia-") + a.size);
    ASSERT_TRUE(p.has_value()) << a.size;
    const double d = a.width;
    EXPECT_EQ(p->non_embedding_params, a.layers * (12 * d * d + 13 * d) + 2 * d) << a.size;
    EXPECT_EQ(p->params - p->non_embedding_params, 2 * a.vocab * d) << a.size;
  }
}

TEST(ModelMetadata, SidecarFillsWhatTheFileLacksAndUnknownTokensStayBlank) {
  // A model whose tokens no one gives keeps them unknown, and so its FLOPs: a hole, not an error.
  ModelFacts llama;
  llama.name = "Llama-3.2-1B";
  llama.source = "meta-llama/Llama-3.2-1B";
  llama.params = 1235814400;
  complete_model_facts(llama, {});
  EXPECT_TRUE(has_parameters(llama));
  EXPECT_TRUE(std::isnan(llama.tokens));
  EXPECT_TRUE(std::isnan(llama.checkpoint_tokens));
  EXPECT_TRUE(std::isnan(llama.flops));
  // Given FLOPs stay when tokens are unknown; 0 tokens in a table is no count.
  ModelFacts given;
  given.name = "g";
  given.params = 1e9;
  given.tokens = 0;
  given.flops = 3e21;
  complete_model_facts(given, {});
  EXPECT_TRUE(std::isnan(given.tokens));
  EXPECT_EQ(given.flops, 3e21);

  // Without parameters the import stops, naming the file, the model and both ways out.
  ModelFacts bare;
  bare.name = "mystery-7b";
  complete_model_facts(bare, {});
  EXPECT_FALSE(has_parameters(bare));
  const std::string message =
      testing::error_message([&] { fail_without_parameters(bare, "results.json"); });
  EXPECT_NE(message.find("results.json: model 'mystery-7b' has no parameters (params)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--meta"), std::string::npos) << message;
  EXPECT_NE(message.find("--skip-incomplete"), std::string::npos) << message;

  const auto meta = ModelMetadata::read_csv(data("meta/opt.csv"));
  ModelFacts opt;
  opt.name = "opt-1.3b";
  opt.source = "facebook/opt-1.3b";
  complete_model_facts(opt, meta);
  EXPECT_EQ(opt.params, 1.3e9);
  EXPECT_EQ(opt.tokens, 180e9);
  EXPECT_EQ(opt.checkpoint_tokens, 180e9);
  EXPECT_EQ(opt.flops, 6 * 1.3e9 * 180e9);
  EXPECT_EQ(opt.family, "opt");
}

TEST(ModelMetadata, BlankSidecarCellsAreUnknown) {
  const fs::path dir = fs::temp_directory_path() / "emlab_imports_meta_blank";
  fs::create_directories(dir);
  const std::string path = (dir / "meta.csv").string();
  std::ofstream(path) << "model,family,params,tokens,flops\nqwen2-7b,qwen2,7e9,,\n"
                         "gemma-7b,,7e9,,2.52e23\n";
  const auto meta = ModelMetadata::read_csv(path);
  ModelFacts qwen, gemma;
  qwen.name = "qwen2-7b";
  gemma.name = "gemma-7b";
  complete_model_facts(qwen, meta);
  complete_model_facts(gemma, meta);
  EXPECT_EQ(qwen.params, 7e9);
  EXPECT_EQ(qwen.family, "qwen2");
  EXPECT_TRUE(std::isnan(qwen.tokens));
  EXPECT_TRUE(std::isnan(qwen.flops));
  EXPECT_EQ(gemma.family, "");
  EXPECT_TRUE(std::isnan(gemma.tokens));
  EXPECT_EQ(gemma.flops, 2.52e23);
}

TEST(ModelMetadata, BadSidecarsFailWithFileLineAndColumn) {
  const fs::path dir = fs::temp_directory_path() / "emlab_imports_meta";
  fs::create_directories(dir);
  const std::string unknown = (dir / "unknown.csv").string();
  std::ofstream(unknown) << "model,size\nx,1\n";
  EXPECT_NE(testing::error_message([&] {
              ModelMetadata::read_csv(unknown);
            }).find(unknown + ":1: unknown column 'size'"),
            std::string::npos);
  const std::string bad = (dir / "bad.csv").string();
  std::ofstream(bad) << "model,params\nx,lots\n";
  EXPECT_NE(testing::error_message([&] {
              ModelMetadata::read_csv(bad);
            }).find(bad + ":2: column 'params'"),
            std::string::npos);
}

// --- per-sample logs ---------------------------------------------------------------------------

TEST(LmEvalSamples, MultipleChoiceIsRescoredFromTheChoiceLogLikelihoods) {
  const auto file = read_lm_eval_samples(
      data("samples/EleutherAI__pythia-160m/samples_arc_easy_2024-01-01T00-00-00.000000.jsonl"));
  const auto& c = file.checkpoints[0];
  EXPECT_EQ(c.model.source, "EleutherAI/pythia-160m");
  EXPECT_EQ(c.model.name, "pythia-160m");
  EXPECT_EQ(c.examples.size(), 4u);
  // By hand (tests/data/import/samples/README.md): argmax accuracy 2/4; per-character 3/4; the
  // tie-aware grade (1 + 0 + ½ + 1)/4.
  EXPECT_DOUBLE_EQ(score(c, "arc_easy", "acc").value, 0.5);
  EXPECT_DOUBLE_EQ(score(c, "arc_easy", "acc_norm").value, 0.75);
  EXPECT_DOUBLE_EQ(score(c, "arc_easy", "mc_grade").value, 0.625);
  EXPECT_FALSE(score(c, "arc_easy", "acc").continuous);
  EXPECT_DOUBLE_EQ(score(c, "arc_easy", "acc").chance, 1.0 / 3);
  // Softmax of each document's log-likelihoods, q_gold: 1/(1+e⁻¹+e⁻²) = 0.665241,
  // e⁻²/(1+e⁻²+e⁻⁴) = 0.117310, 1/(2+e^−2.5) = 0.480288, 1/(1+e^−2.9+e^−1.9) = 0.830157.
  EXPECT_NEAR(score(c, "arc_easy", "prob_correct").value, 0.523249, 1e-6);
  // Brier Σ_j (q_j − y_j)²: 0.180061, 1.530758, 0.502331, 0.046350.
  EXPECT_NEAR(score(c, "arc_easy", "brier").value, 0.564875, 1e-6);
  EXPECT_TRUE(score(c, "arc_easy", "brier").continuous);
}

TEST(LmEvalSamples, GenerationIsRescoredPerFilter) {
  const auto file = read_lm_eval_samples(
      data("samples/EleutherAI__pythia-160m/samples_gsm8k_2024-01-01T00-00-00.000000.jsonl"));
  const auto& c = file.checkpoints[0];
  EXPECT_EQ(c.examples.size(), 4u);
  EXPECT_DOUBLE_EQ(score(c, "gsm8k:strict-match", "exact_match").value, 0.5);
  EXPECT_DOUBLE_EQ(score(c, "gsm8k:strict-match", "token_edit_distance").value, 1.0);
  EXPECT_DOUBLE_EQ(score(c, "gsm8k:flexible-extract", "exact_match").value, 0.5);
  EXPECT_DOUBLE_EQ(score(c, "gsm8k:flexible-extract", "token_edit_distance").value, 0.5);
}

TEST(LmEvalSamples, BadSamplesFailWithFileAndLine) {
  const fs::path dir = fs::temp_directory_path() / "emlab_imports_samples" / "org__model";
  fs::create_directories(dir);
  const std::string path = (dir / "samples_t_2024-01-01T00-00-00.jsonl").string();
  std::ofstream(path) << R"({"doc_id": 0, "target": 5, "arguments": [["q", " a"], ["q", " b"]],)"
                      << R"( "filtered_resps": [["-1", "True"], ["-2", "False"]]})"
                      << "\n";
  const std::string message = testing::error_message([&] { read_lm_eval_samples(path); });
  EXPECT_NE(message.find(path + ":1: 'target' 5 names none of the 2 choices"), std::string::npos)
      << message;
  std::ofstream(path) << "{\"doc_id\": 0}\n";
  EXPECT_NE(testing::error_message([&] {
              read_lm_eval_samples(path);
            }).find(path + ":1: missing field 'target'"),
            std::string::npos);
}

// --- BIG-bench, wide and long tables -----------------------------------------------------------

TEST(BigBench, ScoresPreferredNormalisedAndModelFacts) {
  const auto file = read_bigbench_results(data("bigbench/scores_BIG-G_T=0_2m.json"));
  const auto& c = file.checkpoints[0];
  EXPECT_EQ(c.model.name, "BIG-G T=0 2m");
  EXPECT_EQ(c.model.family, "BIG-G T=0");
  EXPECT_EQ(c.model.params, 2098048.0);
  EXPECT_EQ(c.model.non_embedding_params, 1572864.0);
  EXPECT_EQ(c.model.step, 500000);
  const Score& grade = score(c, "arithmetic:1_digit_addition", "multiple_choice_grade");
  EXPECT_DOUBLE_EQ(grade.value, 0.4);
  EXPECT_DOUBLE_EQ(grade.chance, 0.25);
  EXPECT_FALSE(grade.continuous);
  EXPECT_NEAR(score(c, "arithmetic:1_digit_addition", "multiple_choice_grade_normalised").value,
              0.2, 1e-12);
  EXPECT_DOUBLE_EQ(score(c, "arithmetic:1_digit_addition_2shot", "exact_str_match").value, 0.125);
  EXPECT_DOUBLE_EQ(score(c, "arithmetic:1_digit_addition_2shot", "bleu").value, 12.5);
  // Tokens are not in the file (batch size without sequence length): unknown unless --meta.
  ModelFacts m = c.model;
  complete_model_facts(m, {});
  EXPECT_TRUE(std::isnan(m.tokens));
}

TEST(LongTable, PythiaFlattenedEvaluationsGroupIntoCheckpoints) {
  // pythia_v1_evals_long.csv, line 2: pythia-1.4b,0,0,0,arc_challenge,acc,0.23122866894197952,...
  const auto file = read_long_table(data("pythia/pythia_v1_evals_long.csv"));
  const ImportedCheckpoint* first = nullptr;
  size_t five_shot = 0;
  for (const auto& c : file.checkpoints) {
    if (c.model.name == "pythia-1.4b" && c.model.step == 0) first = &c;
    for (const Score& s : c.scores) five_shot += s.task.ends_with("_5shot");
  }
  ASSERT_NE(first, nullptr);
  EXPECT_DOUBLE_EQ(score(*first, "arc_challenge", "acc").value, 0.23122866894197952);
  EXPECT_DOUBLE_EQ(score(*first, "arc_challenge", "acc").standard_error, 0.012320858834772295);
  EXPECT_EQ(first->model.checkpoint_tokens, 0.0);
  EXPECT_EQ(first->model.tokens, 143000.0 * 2'097'152);  // the most any of its rows has seen
  EXPECT_GT(five_shot, 0u);
  std::set<std::string> models;
  for (const auto& c : file.checkpoints) models.insert(c.model.name);
  EXPECT_EQ(models.size(), 16u);
}

TEST(WideTable, ColumnsBecomeTasksWithUnitsAndSplits) {
  const fs::path dir = fs::temp_directory_path() / "emlab_imports_wide";
  fs::create_directories(dir);
  const std::string path = (dir / "board.csv").string();
  std::ofstream(path) << "Model,Params (B),Tokens (T),Licence,arithmetic_3da_acc,mmlu\n"
                         "small,0.5,1.5,MIT,0.01,0.25\n"
                         "large,7,2,Apache,0.4,\n";
  WideOptions options;
  options.params = {"Params (B)", parse_unit("B", "--params-unit")};
  options.tokens = {"Tokens (T)", parse_unit("trillion", "--tokens-unit")};
  options.split["arithmetic_3da_acc"] = {"arithmetic_3da", "acc"};
  const auto file = read_wide_table(path, options);
  ASSERT_EQ(file.checkpoints.size(), 2u);
  const auto& small = file.checkpoints[0];
  EXPECT_EQ(small.model.name, "small");
  EXPECT_EQ(small.model.params, 0.5e9);
  EXPECT_EQ(small.model.tokens, 1.5e12);
  EXPECT_DOUBLE_EQ(score(small, "arithmetic_3da", "acc").value, 0.01);
  EXPECT_FALSE(score(small, "arithmetic_3da", "acc").continuous);
  EXPECT_DOUBLE_EQ(score(small, "mmlu", "score").value, 0.25);
  EXPECT_FALSE(has_task(file.checkpoints[1], "mmlu"));  // an empty cell is no score
  ASSERT_EQ(file.notes.size(), 1u);
  EXPECT_NE(file.notes[0].find("Licence"), std::string::npos);

  EXPECT_NE(
      testing::error_message([&] { parse_unit("lots", "--params-unit"); }).find("--params-unit"),
      std::string::npos);
  WideOptions missing;
  missing.tokens = {"Training tokens", 1};
  EXPECT_NE(testing::error_message([&] {
              read_wide_table(path, missing);
            }).find("no column 'Training tokens' (named by --tokens-column)"),
            std::string::npos);
}

// Inputs the fuzzers found (tests/data/fuzz/imports/): a number too large for a double made the
// JSON reader throw out_of_range, which escaped as an internal error instead of a clear message.
TEST(ImportFuzzFindings, NumbersTooLargeAreClearErrors) {
  const std::string dir = fmt::format("{}/fuzz/imports/", EMLAB_TEST_DATA);
  for (const auto& [file_name, reader] :
       std::vector<std::pair<std::string, std::function<void(const std::string&)>>>{
           {"lm_eval_results_number_overflow.json",
            [](const std::string& p) { read_lm_eval_results(p); }},
           {"bigbench_number_overflow.json",
            [](const std::string& p) { read_bigbench_results(p); }},
           {"samples_number_overflow.jsonl", [](const std::string& p) {
              read_lm_eval_samples(p, SamplesOptions{"a/b", "t", "", -1, 0});
            }}}) {
    // Copies: clang 14 cannot capture structured bindings in a lambda.
    const std::string file = file_name;
    const auto read = reader;
    const std::string message =
        testing::error_message([&] { read(fmt::format("{}{}", dir, file)); });
    EXPECT_NE(message.find("not valid JSON"), std::string::npos) << file << ": " << message;
    EXPECT_NE(message.find(file), std::string::npos) << message;
  }
  // A shots cell of 5.6e37 was converted to an int (undefined behaviour, caught by UBSan).
  const std::string shots = dir + "long_table_huge_shots.csv";
  EXPECT_NE(testing::error_message([&] {
              read_long_table(shots);
            }).find(":3: column 'num_fewshot': expected a whole number of shots (0 to 1000)"),
            std::string::npos)
      << testing::error_message([&] { read_long_table(shots); });
}

// --- naming ------------------------------------------------------------------------------------

TEST(MetricNaming, ShotsAndFiltersAreFoldedIntoTheTask) {
  EXPECT_EQ(stored_task_name("arc_easy", 0), "arc_easy");
  EXPECT_EQ(stored_task_name("arc_easy", 5), "arc_easy_5shot");
  EXPECT_EQ(stored_task_name("gsm8k", 8, "strict-match"), "gsm8k_8shot:strict-match");
  EXPECT_TRUE(is_zero_one_metric("acc_norm"));
  EXPECT_FALSE(is_zero_one_metric("perplexity"));
  EXPECT_DOUBLE_EQ(known_chance_accuracy("piqa"), 0.5);
  EXPECT_DOUBLE_EQ(known_chance_accuracy("hendrycksTest-virology"), 0.25);
  EXPECT_TRUE(std::isnan(known_chance_accuracy("lambada_openai")));
}

}  // namespace
}  // namespace emlab::imports
