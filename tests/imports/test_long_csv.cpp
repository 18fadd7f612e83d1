// The long-format measurement CSV (docs/csv-format.md) and the Gadre et al. 2024 CSV, read into
// analysis's rows.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "analysis/scaling_data.hpp"
#include "core/error.hpp"
#include "imports/gadre_csv.hpp"
#include "imports/long_csv.hpp"

namespace emlab::imports {
namespace {

using analysis::loss_points;
using analysis::MeasurementTable;

MeasurementTable parse(const std::string& text) {
  std::istringstream in(text);
  return parse_measurements_csv(in, "t.csv");
}

// The error message for `text`, or "" when it parses.
std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const Error& e) {
    return e.what();
  }
  return "";
}

TEST(CsvTable, ParsesLossAndTaskRows) {
  const auto table = parse(
      "model,params,non_embedding_params,tokens,flops,step,loss,task,metric,value,stderr,n\n"
      "# a comment line\n"
      "m1,1e6,8e5,2e7,,100,3.5,,,,,\n"
      "m1,1e6,8e5,2e7,1.5e14,100,3.5,add3,exact_match,0.25,0.02,300\n"
      "\"m,2\",+2e6,,4e7,,,2.9,,,,,\r\n");
  ASSERT_EQ(table.rows.size(), 3u);
  const auto& loss_row = table.rows[0];
  EXPECT_TRUE(loss_row.is_loss_row());
  EXPECT_EQ(loss_row.line, 3);
  EXPECT_DOUBLE_EQ(loss_row.flops, 6.0 * 1e6 * 2e7);  // blank FLOPs -> 6·N·D
  EXPECT_DOUBLE_EQ(loss_row.non_embedding_params, 8e5);
  const auto& task_row = table.rows[1];
  EXPECT_EQ(task_row.task, "add3");
  EXPECT_EQ(task_row.metric, "exact_match");
  EXPECT_DOUBLE_EQ(task_row.flops, 1.5e14);
  EXPECT_DOUBLE_EQ(task_row.value, 0.25);
  EXPECT_DOUBLE_EQ(task_row.n, 300);
  EXPECT_EQ(table.rows[2].model, "m,2");
  EXPECT_TRUE(std::isnan(table.rows[2].non_embedding_params));
  EXPECT_DOUBLE_EQ(table.rows[2].params, 2e6);

  const auto points = loss_points(table);
  ASSERT_EQ(points.size(), 2u);  // the task row is not a loss point
  EXPECT_DOUBLE_EQ(points[1].loss, 2.9);
  EXPECT_THROW(loss_points(table, /*non_embedding=*/true), Error);  // m,2 has no such count
}

TEST(CsvTable, WriteThenReadRoundTrips) {
  const auto table = parse(
      "model,params,tokens,loss,task,metric,value\n"
      "\"a \"\"b\"\"\",1e6,2e7,3.5,,,\n"
      "c,3e6,2e7,3.1,t,acc,0.5\n");
  std::ostringstream out;
  write_measurements_csv(table, out);
  const auto again = parse(out.str());
  ASSERT_EQ(again.rows.size(), 2u);
  EXPECT_EQ(again.rows[0].model, "a \"b\"");
  EXPECT_DOUBLE_EQ(again.rows[1].value, 0.5);
  EXPECT_DOUBLE_EQ(again.rows[1].flops, 6.0 * 3e6 * 2e7);
}

TEST(CsvTable, MissingColumnIsNamed) {
  const auto message = error_of("model,params,loss\nm,1e6,3\n");
  EXPECT_NE(message.find("t.csv:1: missing required column 'tokens'"), std::string::npos)
      << message;
}

TEST(CsvTable, UnknownAndDuplicateColumnsAreNamed) {
  EXPECT_NE(error_of("model,params,tokens,los\n").find("unknown column 'los' (column 4)"),
            std::string::npos);
  EXPECT_NE(
      error_of("model,params,tokens,params\n").find("'params' appears twice (columns 2 and 4)"),
      std::string::npos);
}

TEST(CsvTable, NonNumericValueNamesRowAndColumn) {
  const auto message = error_of("model,params,tokens,loss\nm,1e6,2e7,3\nm,1e6,lots,3\n");
  EXPECT_NE(
      message.find("t.csv:3: column 'tokens' (column 3): expected a finite number, got 'lots'"),
      std::string::npos)
      << message;
  EXPECT_NE(error_of("model,params,tokens,loss\nm,1e6,2e7,3.0x\n").find("column 'loss' (column 4)"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,loss\nm,1e6,2e7,nan\n").find("got 'nan'"),
            std::string::npos);
}

TEST(CsvTable, NonPositiveSizesAndLossesAreRejected) {
  EXPECT_NE(
      error_of("model,params,tokens,loss\nm,0,2e7,3\n")
          .find("t.csv:2: column 'params' (column 2): expected a positive parameter count, got 0"),
      std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,loss\nm,1e6,-5,3\n")
                .find("column 'tokens' (column 3): expected a positive token count, got -5"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,loss\nm,1e6,2e7,0\n")
                .find("column 'loss' (column 4): expected a positive loss, got 0"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,flops,loss\nm,1e6,2e7,-1,3\n").find("column 'flops'"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,loss,task,metric,value,n\nm,1e6,2e7,3,t,acc,0.5,2.5\n")
                .find("column 'n' (column 8): expected a whole number"),
            std::string::npos);
}

TEST(CsvTable, RowShapeErrors) {
  EXPECT_NE(error_of("model,params,tokens,loss\nm,1e6,2e7\n")
                .find("t.csv:2: expected 4 fields as in the header, got 3"),
            std::string::npos);
  EXPECT_NE(
      error_of("model,params,tokens,loss\nm,1e6,2e7,\n").find("a loss row (blank 'task') needs"),
      std::string::npos);
  EXPECT_NE(error_of("model,params,tokens,loss,task,metric,value\nm,1e6,2e7,3,t,,0.5\n")
                .find("column 'metric' (column 6): task 't' needs a metric name"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens\n,1e6,2e7\n").find("column 'model' (column 1)"),
            std::string::npos);
  EXPECT_NE(error_of("model,params,tokens\n\"m,1e6,2e7\n").find("unterminated"), std::string::npos);
  EXPECT_NE(error_of("").find("empty file"), std::string::npos);
}

TEST(GadreImport, ReadsAllModelsAndDownstreamTasks) {
  const std::string dir = std::string(EMLAB_TEST_DATA) + "/analysis/gadre2024/";
  auto table = read_gadre_scaling_csv(dir + "gadre2024_scaling_loss_104models.csv");
  ASSERT_EQ(table.rows.size(), 104u);
  const auto& first = table.rows[0];
  EXPECT_EQ(first.model, "c4_original-d=1024_l=24_h=8-0.25");
  EXPECT_DOUBLE_EQ(first.params, 411616256);
  EXPECT_DOUBLE_EQ(first.non_embedding_params, 359973888);
  EXPECT_DOUBLE_EQ(first.tokens, 2058081280);
  EXPECT_DOUBLE_EQ(first.loss, 3.5279492850157737);
  EXPECT_EQ(first.line, 2);
  add_gadre_downstream_csv(dir + "gadre2024_downstream_104models.csv", table);
  EXPECT_EQ(table.rows.size(), 104u + 104u * 46u);
  EXPECT_EQ(table.rows[104].task, "agi_eval_lsat_ar");
  EXPECT_DOUBLE_EQ(table.rows[104].loss, 3.5279492850157737);
  EXPECT_THROW(read_gadre_scaling_csv(dir + "gadre2024_scaling_loss_104models.csv", "nope"), Error);
}

}  // namespace
}  // namespace emlab::imports
