// Real leaderboard tables: the Sloth table (tests/data/import/sloth/, 98 models of 50 families)
// imports with its family column, with holes blanked in a copy (unknown tokens and FLOPs stay
// unknown; a model without a size stops the import unless --skip-incomplete leaves it out and
// names it), and column names that carry task, shots and metric read by a pattern.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "imports/column_pattern.hpp"
#include "imports/importer.hpp"
#include "imports/table_imports.hpp"
#include "store/database.hpp"
#include "store/run_store.hpp"
#include "support/error_message.hpp"
#include "support/sloth_table.hpp"

namespace emlab::imports {
namespace {

namespace fs = std::filesystem;
using testing::error_message;

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("emlab_table_holes_" + name);
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

ImportOptions sloth_options() {
  ImportOptions o;
  o.format = "wide";
  o.wide.params = {"size", 1e9};
  o.wide.tokens = {"tokens", 1e12};
  o.wide.flops = {"flops", 1e21};
  return o;
}

const ImportedCheckpoint& model(const ImportedFile& file, const std::string& name) {
  for (const auto& c : file.checkpoints)
    if (c.model.name == name) return c;
  ADD_FAILURE() << "no model " << name;
  static const ImportedCheckpoint none;
  return none;
}

const Score* find_score(const ImportedCheckpoint& c, const std::string& task,
                        const std::string& metric) {
  for (const Score& s : c.scores)
    if (s.task == task && s.metric == metric) return &s;
  return nullptr;
}

bool any_note_has(const ImportedFile& file, const std::string& text) {
  for (const auto& n : file.notes)
    if (n.find(text) != std::string::npos) return true;
  return false;
}

TEST(ColumnPattern, NamesSplitIntoTaskShotsAndMetric) {
  const ColumnPattern shot("{task}_{shots}shot_{metric}", "--columns");
  const auto arc = shot.read("arc_easy_25shot_acc_norm");
  ASSERT_TRUE(arc.has_value());
  EXPECT_EQ(arc->task, "arc_easy");
  EXPECT_EQ(arc->shots, 25);
  EXPECT_EQ(arc->metric, "acc_norm");
  EXPECT_FALSE(shot.read("mmlu").has_value());
  EXPECT_FALSE(shot.read("mmlu_fiveshot_acc").has_value());  // {shots} is a number

  // The `_2_` form: a digit inside the task does not end it, and where a name reads two ways
  // the reading whose metric emlab knows wins.
  const ColumnPattern bare("{task}_{shots}_{metric}", "--columns");
  const auto arithmetic = bare.read("arithmetic_2da_5_acc");
  ASSERT_TRUE(arithmetic.has_value());
  EXPECT_EQ(arithmetic->task, "arithmetic_2da");
  EXPECT_EQ(arithmetic->shots, 5);
  const auto digits = bare.read("bigbench_3_digit_5_exact_match");
  ASSERT_TRUE(digits.has_value());
  EXPECT_EQ(digits->task, "bigbench_3_digit");  // not (bigbench, 3, digit_5_exact_match)
  EXPECT_EQ(digits->metric, "exact_match");

  const ColumnPattern no_shots("{task}_{metric}", "--columns");
  EXPECT_EQ(no_shots.read("arc_easy_acc_norm")->task, "arc_easy");
  EXPECT_EQ(no_shots.read("arc_easy_acc_norm")->metric, "acc_norm");
  EXPECT_EQ(no_shots.read("winogrande_acc")->shots, 0);
  // Neither reading has a known metric: the longest task.
  EXPECT_EQ(no_shots.read("foo_bar_baz")->task, "foo_bar");
  const ColumnPattern task_only("v1:{task}", "--columns");
  EXPECT_EQ(task_only.read("v1:gsm8k")->metric, "score");

  for (const auto& [pattern_text, error] : std::vector<std::pair<std::string, std::string>>{
           {"{model}_{metric}", "unknown placeholder '{model}'"},
           {"{task}{metric}", "'{metric}' follows another placeholder"},
           {"{shots}_{metric}", "the pattern needs a {task}"},
           {"{task}_{task}", "'{task}' is given twice"},
           {"{task", "a '{' without its '}'"}}) {
    const std::string pattern = pattern_text;  // clang 14 cannot capture structured bindings
    EXPECT_NE(error_message([&] {
                ColumnPattern(pattern, "--columns");
              }).find("--columns '" + pattern + "': " + error),
              std::string::npos)
        << error_message([&] { ColumnPattern(pattern, "--columns"); });
  }
}

TEST(WideTable, TheSlothLeaderboardImportsWithFamiliesAndSizes) {
  const ImportedFile file = read_import(testing::sloth_table_path(), sloth_options(), {});
  ASSERT_EQ(file.checkpoints.size(), 98u);
  std::set<std::string> families;
  for (const auto& c : file.checkpoints) families.insert(c.model.family);
  EXPECT_EQ(families.size(), 50u);
  // df_full.csv line 2: 1,bloom-1b1,bloom,1.0,0.341,2.046...,0.2832764505119454,...
  const auto& bloom = model(file, "bloom-1b1");
  EXPECT_EQ(bloom.model.family, "bloom");
  EXPECT_EQ(bloom.model.params, 1e9);
  EXPECT_DOUBLE_EQ(bloom.model.tokens, 0.341e12);
  EXPECT_DOUBLE_EQ(bloom.model.flops, 2.0460000000000003e21);
  ASSERT_NE(find_score(bloom, "arc", "score"), nullptr);
  EXPECT_DOUBLE_EQ(find_score(bloom, "arc", "score")->value, 0.2832764505119454);
  EXPECT_EQ(bloom.scores.size(), 12u);
  // The pandas index column has no name: skipped and said.
  EXPECT_TRUE(any_note_has(file, "unnamed columns skipped: column 1")) << file.notes.front();
  EXPECT_FALSE(find_score(bloom, "", "score"));
}

TEST(WideTable, HolesStayUnknownAndAModelWithoutASizeStopsTheImportUnlessSkipped) {
  const fs::path dir = fresh_dir("holes");
  const std::string path =
      testing::sloth_table_with_holes(dir / "sloth_holes.csv", testing::sloth_holes()).string();
  ImportOptions options = sloth_options();
  const std::string message = error_message([&] { read_import(path, options, {}); });
  EXPECT_NE(message.find(path + ": model 'dolly-v2-7b' has no parameters (params)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--skip-incomplete"), std::string::npos) << message;

  options.skip_incomplete = true;
  const ImportedFile file = read_import(path, options, {});
  EXPECT_EQ(file.checkpoints.size(), 97u);
  EXPECT_EQ(file.skipped_models, std::vector<std::string>{"dolly-v2-7b"});
  for (const char* name : {"qwen2-0.5b", "qwen2-72b"}) {
    EXPECT_TRUE(std::isnan(model(file, name).model.tokens)) << name;
    EXPECT_TRUE(std::isnan(model(file, name).model.flops)) << name;
    EXPECT_EQ(model(file, name).model.family, "qwen2");
  }
  EXPECT_EQ(model(file, "qwen2-72b").model.params, 72e9);
  EXPECT_TRUE(std::isnan(model(file, "gemma-7b").model.tokens));
  EXPECT_DOUBLE_EQ(model(file, "gemma-7b").model.flops, 252e21);  // given, not 6·N·D
  EXPECT_TRUE(any_note_has(file,
                           "4 model(s) without training tokens or FLOPs, imported with them "
                           "blank (analyses that need them leave these models out and say so; "
                           "--meta can give them, and importing the file again then fills them "
                           "in): qwen2-0.5b, qwen2-1.5b, qwen2-72b, qwen2-7b"));
  EXPECT_TRUE(any_note_has(file,
                           "1 model(s) without training tokens (their FLOPs are given), "
                           "imported with tokens blank: gemma-7b"));
  EXPECT_TRUE(any_note_has(file,
                           "skipped 1 model(s) without a parameter count "
                           "(--skip-incomplete): dolly-v2-7b"));
}

TEST(WideTable, ColumnNamesReadByAPatternGiveTasksShotsAndMetrics) {
  // The Open LLM Leaderboard v1 settings (arc 25-shot acc_norm, hellaswag 10-shot acc_norm, mmlu
  // and winogrande 5-shot acc, truthfulqa 0-shot mc2) written into the column names.
  const fs::path dir = fresh_dir("pattern");
  const std::string path =
      testing::sloth_table_with_holes(dir / "sloth_named.csv", {},
                                      {{"arc", "arc_challenge_25shot_acc_norm"},
                                       {"hellaswag", "hellaswag_10shot_acc_norm"},
                                       {"mmlu", "mmlu_5shot_acc"},
                                       {"truthfulqa", "truthfulqa_mc_0shot_mc2"},
                                       {"winogrande", "winogrande_5shot_acc"}})
          .string();
  ImportOptions options = sloth_options();
  options.wide.columns = "{task}_{shots}shot_{metric}";
  options.wide.split["gsm8k"] = {"gsm8k_5shot", "exact_match"};  // --split wins over the pattern
  const ImportedFile file = read_import(path, options, {});
  const auto& bloom = model(file, "bloom-1b1");
  const Score* arc = find_score(bloom, "arc_challenge_25shot", "acc_norm");
  ASSERT_NE(arc, nullptr);
  EXPECT_DOUBLE_EQ(arc->value, 0.2832764505119454);
  EXPECT_FALSE(arc->continuous);
  EXPECT_DOUBLE_EQ(arc->chance, 0.25);  // ARC's four options
  EXPECT_DOUBLE_EQ(find_score(bloom, "winogrande_5shot", "acc")->chance, 0.5);
  const Score* truthful = find_score(bloom, "truthfulqa_mc", "mc2");  // 0 shots: no suffix
  ASSERT_NE(truthful, nullptr);
  EXPECT_TRUE(truthful->continuous);
  EXPECT_NE(find_score(bloom, "gsm8k_5shot", "exact_match"), nullptr);
  // The v2 columns do not read as the pattern: kept under their names, and said.
  EXPECT_NE(find_score(bloom, "ifeval", "score"), nullptr);
  EXPECT_TRUE(any_note_has(file,
                           "columns that do not read as --columns "
                           "'{task}_{shots}shot_{metric}', imported with the column name "
                           "as the task and metric 'score': ifeval, bbh, math, mmlu-pro, "
                           "gpqa, musr"));
}

TEST(ImportStore, UnknownFactsAreFlaggedAndModelsLeftOutAreAddedOnceKnown) {
  const fs::path dir = fresh_dir("store");
  const std::string path =
      testing::sloth_table_with_holes(dir / "sloth_holes.csv", testing::sloth_holes()).string();
  store::Database db(dir / "sloth.sqlite");
  ImportOptions options = sloth_options();
  options.skip_incomplete = true;
  auto results = import_files(db, {path}, options);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_EQ(results[0].summary.models, 97);
  EXPECT_EQ(results[0].summary.skipped, 1);

  store::RunStore runs(db);
  std::map<std::string, store::RunRow> by_name;
  for (const auto& r : runs.runs()) by_name[r.plan.name] = r;
  ASSERT_EQ(by_name.size(), 97u);
  const auto& qwen = by_name.at("qwen2-7b");
  EXPECT_FALSE(qwen.tokens_known);
  EXPECT_FALSE(qwen.flops_known);
  EXPECT_EQ(qwen.plan.parameters, 7'000'000'000);
  const auto qwen_checkpoints = runs.checkpoints(qwen.id);
  ASSERT_EQ(qwen_checkpoints.size(), 1u);
  EXPECT_FALSE(qwen_checkpoints[0].tokens_known);
  EXPECT_FALSE(qwen_checkpoints[0].flops_known);
  const auto& gemma = by_name.at("gemma-7b");
  EXPECT_FALSE(gemma.tokens_known);
  EXPECT_TRUE(gemma.flops_known);
  EXPECT_DOUBLE_EQ(gemma.plan.flops, 252e21);
  EXPECT_DOUBLE_EQ(runs.checkpoints(gemma.id)[0].flops, 252e21);  // the final model's
  EXPECT_TRUE(runs.checkpoints(gemma.id)[0].flops_known);
  const auto& bloom = by_name.at("bloom-1b1");
  EXPECT_TRUE(bloom.tokens_known && bloom.flops_known);
  EXPECT_EQ(bloom.plan.tokens, 341'000'000'000);
  EXPECT_EQ(bloom.family, "bloom");

  // The same bytes again: nothing changes. With dolly-v2-7b's size and qwen2-7b's tokens from a
  // sidecar: the one is added, the other's blanks filled (6·N·D for its FLOPs).
  results = import_files(db, {path}, options);
  EXPECT_TRUE(results[0].summary.already_imported);
  const fs::path meta = dir / "more.csv";
  std::ofstream(meta) << "model,params,tokens\ndolly-v2-7b,6.9e9,\nqwen2-7b,,7e12\n";
  options.meta = {meta.string()};
  results = import_files(db, {path}, options);
  EXPECT_FALSE(results[0].summary.already_imported);
  EXPECT_EQ(results[0].summary.models, 98);
  EXPECT_EQ(results[0].summary.skipped, 0);
  EXPECT_EQ(runs.runs().size(), 98u);
  const auto filled = *runs.run(qwen.id);
  EXPECT_TRUE(filled.tokens_known);
  EXPECT_TRUE(filled.flops_known);
  EXPECT_EQ(filled.plan.tokens, 7'000'000'000'000);
  EXPECT_DOUBLE_EQ(filled.plan.flops, 6 * 7e9 * 7e12);
  const auto checkpoint = runs.checkpoints(qwen.id).at(0);
  EXPECT_TRUE(checkpoint.tokens_known);
  EXPECT_EQ(checkpoint.tokens, 7'000'000'000'000);
  EXPECT_FALSE(runs.run(by_name.at("qwen2-72b").id)->tokens_known);
  results = import_files(db, {path}, options);
  EXPECT_TRUE(results[0].summary.already_imported);
}

}  // namespace
}  // namespace emlab::imports
