// The report of imported models from many families (a leaderboard of 25 families, 55 models):
// scores against FLOPs and parameters coloured by family, the ten largest families named and the
// rest grey, lines only within a family, the models without FLOPs left out of that chart and
// named; the overview lists what such models have. Our own sweeps keep their pages.
#include <gtest/gtest.h>

#include <set>

#include "report/family_colours.hpp"
#include "report/report_builder.hpp"
#include "report/sections.hpp"
#include "support/result_set_builder.hpp"

namespace emlab::report {
namespace {

using nlohmann::json;

const json& chart_spec(const json& section, const std::string& id) {
  for (const json& c : section["charts"])
    if (c["id"] == id) return c["spec"];
  ADD_FAILURE() << "no chart " << id;
  static const json none;
  return none;
}

TEST(FamilyColours, TheFamiliesWithTheMostModelsAreNamedAndTheRestGrey) {
  const FamilyColours colours = family_colours(results::testing::leaderboard_study());
  ASSERT_EQ(colours.named.size(), 10u);
  // f00-f04 have 4 models, f05-f09 3; within a count the larger largest model first (f04's).
  EXPECT_EQ(colours.named.front(), "f04");
  EXPECT_EQ(std::set<std::string>(colours.named.begin(), colours.named.end()),
            (std::set<std::string>{"f00", "f01", "f02", "f03", "f04", "f05", "f06", "f07", "f08",
                                   "f09"}));
  EXPECT_EQ(colours.others, 15u);
  EXPECT_EQ(colours.shown("f03"), "f03");
  EXPECT_EQ(colours.shown("f20"), "15 other families");
  const json colour = colours.encoding();
  EXPECT_EQ(colour["field"], "shown");
  ASSERT_EQ(colour["scale"]["domain"].size(), 11u);
  EXPECT_EQ(colour["scale"]["domain"][10], "15 other families");
  EXPECT_EQ(colour["scale"]["range"][10], "#bbbbbb");
  // Few families: every one named, no grey group.
  results::ResultSet two;
  two.runs = {results::testing::imported_model("a", "x", 1e9, 1e12),
              results::testing::imported_model("b", "", 2e9, 1e12)};
  const FamilyColours both = family_colours(two);
  EXPECT_EQ(both.named, (std::vector<std::string>{"(no family)", "x"}));
  EXPECT_EQ(both.encoding()["scale"]["domain"].size(), 2u);
}

TEST(FamiliesSection, ScoresAgainstFlopsAndParametersWithLinesWithinAFamily) {
  const results::ResultSet board = results::testing::leaderboard_study();
  const json section = families_section(board);
  ASSERT_FALSE(section.is_null());
  EXPECT_TRUE(section["missing"].is_null());
  const json& by_params = chart_spec(section, "params");
  const json& by_flops = chart_spec(section, "flops");
  EXPECT_EQ(by_params["data"]["values"].size(), 120u);  // 55 models × 2 tasks, 10 × lambada
  EXPECT_EQ(by_flops["data"]["values"].size(), 112u);   // f02's 4 models have no FLOPs
  for (const json& row : by_flops["data"]["values"]) EXPECT_NE(row["family"], "f02") << row;
  EXPECT_EQ(by_params["facet"]["field"], "panel");
  EXPECT_EQ(by_params["facet"]["sort"], json({"arc", "gsm8k", "lambada · acc"}));
  // One line per family, grey ones thin and drawn first.
  const json& layer = by_params["spec"]["encoding"];
  EXPECT_EQ(layer["detail"]["field"], "family");
  EXPECT_EQ(layer["color"]["scale"]["domain"].size(), 11u);
  EXPECT_EQ(layer["strokeWidth"]["condition"]["test"], "datum.shown === '15 other families'");
  EXPECT_EQ(by_params["data"]["values"][0]["shown"], "15 other families");
  EXPECT_EQ(by_params["data"]["values"].back()["shown"], "f09");
  const std::string text = section["text"];
  EXPECT_NE(text.find("55 imported models of 25 families"), std::string::npos) << text;
  EXPECT_NE(text.find("The 10 families with the most models are named in colour, the other 15 "
                      "are grey"),
            std::string::npos)
      << text;
  ASSERT_EQ(section["left_out"].size(), 1u);
  EXPECT_EQ(section["left_out"][0],
            "The scores against training FLOPs: left out 4 model(s) without training FLOPs: "
            "f02-0, f02-1, f02-2, f02-3");
  // The families, named ones first.
  const json& table = section["tables"][0];
  ASSERT_EQ(table["rows"].size(), 25u);
  EXPECT_EQ(table["rows"][0][0], "f04");
  EXPECT_EQ(table["rows"][0][1], "named");
  EXPECT_EQ(table["rows"][0][2], 4);
  EXPECT_EQ(table["rows"][24][1], "grey");
  bool f02 = false;
  for (const json& row : table["rows"])
    if (row[0] == "f02") {
      f02 = true;
      EXPECT_EQ(row[4], "—");  // tokens unknown
      EXPECT_EQ(row[5], "—");
    }
  EXPECT_TRUE(f02);
}

TEST(FamiliesSection, TheOverviewAndTaskChartsOfImportedModelsShowFamilies) {
  const results::ResultSet board = results::testing::leaderboard_study();
  const json overview = overview_section(board);
  EXPECT_TRUE(overview["tables"].empty());  // no steps, losses or run times
  const json families = families_section(board);
  const json& models = families["tables"][1];
  EXPECT_EQ(models["title"], "Models");
  EXPECT_EQ(models["columns"],
            json({"model", "family", "parameters", "tokens", "FLOPs", "source"}));
  ASSERT_EQ(models["rows"].size(), 55u);
  EXPECT_EQ(models["rows"][0], json({"f00-0", "f00", "1G", "1T", "6e+21", "board.csv"}));
  for (const json& row : models["rows"]) {
    if (row[1] != "f02") continue;
    EXPECT_EQ(row[3], "—") << row;
  }
  EXPECT_NE(overview["text"].get<std::string>().find(
                "Training tokens are known for 51 of them and FLOPs for 51"),
            std::string::npos)
      << overview["text"];

  const auto tasks = task_sections(board);
  ASSERT_EQ(tasks.size(), 3u);
  const json& panel = tasks[0]["charts"][0]["spec"]["concat"][0];
  const json& line = panel["layer"][0]["encoding"];
  EXPECT_EQ(line["color"]["field"], "shown");
  EXPECT_EQ(line["detail"]["field"], "family");
  EXPECT_NE(tasks[0]["text"].get<std::string>().find("one line per model family"),
            std::string::npos);
}

TEST(FamiliesSection, OurOwnSweepsKeepTheirPages) {
  const results::ResultSet sweep = results::testing::chinchilla_study(
      {1.2, 80.0, 300.0, 0.35, 0.30}, {1e4, 3e4, 1e5}, {1e6, 3e6});
  results::ResultSet with_scores = sweep;
  for (auto& run : with_scores.runs)
    results::testing::add_final_metric(run, "add", "token_accuracy", 0.5, true);
  EXPECT_TRUE(families_section(with_scores).is_null());
  const json report = build_report(with_scores);
  for (const json& s : report["sections"]) EXPECT_NE(s["id"], "families");
  EXPECT_EQ(report["sections"][0]["tables"][0]["title"], "Runs");
  const auto tasks = task_sections(with_scores);
  const json& line = tasks[0]["charts"][0]["spec"]["concat"][0]["layer"][0]["encoding"];
  EXPECT_EQ(line["color"]["field"], "budget");
  EXPECT_FALSE(line.contains("detail"));
}

}  // namespace
}  // namespace emlab::report
