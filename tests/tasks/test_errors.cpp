// Unknown tasks and impossible parameters are clear errors naming the task, the parameter and
// what was expected.
#include <gtest/gtest.h>

#include "support/error_message.hpp"
#include "task_test_util.hpp"

namespace emlab::tasks {
namespace {

using emlab::testing::error_message;
using tasktest::task;

TEST(TaskErrors, UnknownTaskListsTheKnownOnes) {
  EXPECT_EQ(error_message([] { make_task("divide"); }),
            "unknown task 'divide' (tasks: add, sub, mul, reverse, copy, hop, kb, stack, "
            "lookup_add, fact_and_sum, recall)");
}

TEST(TaskErrors, ImpossibleParameters) {
  EXPECT_EQ(error_message([] {
              task("add", {{"digits", "0"}});
            }),
            "task 'add': parameter digits must be from 1 to 18 (got 0)");
  EXPECT_EQ(error_message([] {
              task("mul", {{"digits", "19"}});
            }),
            "task 'mul': parameter digits must be from 1 to 18 (got 19)");
  EXPECT_EQ(error_message([] {
              task("hop", {{"k", "-1"}});
            }),
            "task 'hop': parameter k must be from 0 to 22: each hop moves at least one position "
            "left (got -1)");
  EXPECT_EQ(error_message([] {
              task("kb", {{"values", "26"}, {"choices", "30"}});
            }),
            "task 'kb': parameter choices must be from 2 to 26: a question's choices are distinct "
            "values of its attribute (got 30)");
  EXPECT_EQ(
      error_message([] {
        task("kb", {{"values", "30"}});
      }),
      "task 'kb': parameter values must be from 2 to 26: values are the letters a-z (got 30)");
  EXPECT_EQ(error_message([] {
              task("kb", {{"values", "5"}, {"choices", "6"}});
            }),
            "task 'kb': parameter choices must be from 2 to 5: a question's choices are distinct "
            "values of its attribute (got 6)");
  EXPECT_EQ(
      error_message([] {
        task("kb", {{"attributes", "9"}});
      }),
      "task 'kb': parameter attributes must be from 1 to 8: attributes are named A-H (got 9)");
  EXPECT_EQ(
      error_message([] {
        task("kb", {{"entities", "700"}});
      }),
      "task 'kb': entities = 700 needs more distinct names than name_length = 2 allows (676)");
  EXPECT_EQ(error_message([] {
              task("lookup_add", {{"values", "11"}});
            }),
            "task 'lookup_add': parameter values must be from 2 to 10: numeric values are the "
            "digits 0-9 (got 11)");
  EXPECT_EQ(error_message([] {
              task("copy", {{"symbols", "27"}});
            }),
            "task 'copy': parameter symbols must be from 2 to 26: the alphabet has 26 letters "
            "(got 27)");
  EXPECT_EQ(error_message([] {
              task("stack", {{"modulus", "1"}});
            }),
            "task 'stack': parameter modulus must be from 2 to 1000 (got 1)");
  EXPECT_EQ(error_message([] {
              task("add", {{"test_fraction", "0.9"}});
            }),
            "task 'add': parameter test_fraction must be from 0.001 to 0.5 (got 0.9)");
  EXPECT_NE(error_message([] {
              task("hop", {{"length", "40"}, {"letters", "26"}, {"k", "30"}});
            }).find("task 'hop': k = 30 hops almost never succeed in strings of length 40"),
            std::string::npos);
}

TEST(TaskErrors, MalformedOrUnknownParameters) {
  EXPECT_EQ(error_message([] {
              task("add", {{"digits", "three"}});
            }),
            "task 'add': parameter digits must be an integer (got 'three')");
  EXPECT_EQ(error_message([] {
              task("add", {{"reverse", "yes"}});
            }),
            "task 'add': parameter reverse must be true or false (got 'yes')");
  EXPECT_EQ(error_message([] {
              task("kb", {{"qa_fraction", "half"}});
            }),
            "task 'kb': parameter qa_fraction must be a number (got 'half')");
  EXPECT_EQ(error_message([] {
              task("add", {{"k", "2"}});
            }),
            "task 'add': unknown parameter 'k' (parameters: digits, reverse, scratchpad, "
            "test_fraction, split_seed)");
}

TEST(TaskErrors, TaskSpecText) {
  const TaskSpec s = parse_task_spec(" hop(k=3, length=30 letters=5) ");
  EXPECT_EQ(s.name, "hop");
  EXPECT_EQ(s.params.entries().at("k"), "3");
  EXPECT_EQ(s.params.entries().at("letters"), "5");
  EXPECT_EQ(make_task(s)->parameters(), "length=30 letters=5 k=3 test_fraction=0.1 split_seed=0");
  EXPECT_EQ(parse_task_spec("copy").params.entries().size(), 0u);
  EXPECT_EQ(error_message([] { parse_task_spec("add digits=3"); }),
            "task spec \"add digits=3\": parameters go in parentheses, as in add(digits=3 "
            "reverse=true)");
  EXPECT_EQ(error_message([] { parse_task_spec("add(digits)"); }),
            "task spec \"add(digits)\": expected key=value, got 'digits'");
  EXPECT_EQ(error_message([] { parse_task_spec("(x=1)"); }),
            "task spec \"(x=1)\": expected a task name first");
}

TEST(TaskErrors, TestSetSizeMustBeNonNegative) {
  EXPECT_EQ(error_message([] { task("add")->test_set(-1, 0); }),
            "task 'add': test set size must be non-negative (got -1)");
}

}  // namespace
}  // namespace emlab::tasks
