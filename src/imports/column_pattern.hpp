#pragma once
// How a wide table's column names read: a pattern such as "{task}_{shots}shot_{metric}" or
// "{task}_{shots}_{metric}" (`emlab import wide --columns`), so that "arc_easy_25shot_acc_norm"
// becomes task arc_easy, 25 shots, metric acc_norm.
#include <optional>
#include <string>
#include <vector>

namespace emlab::imports {

struct ColumnName {
  std::string task;
  int shots = 0;                 // 0 when the pattern has no {shots}
  std::string metric = "score";  // "score" when the pattern has no {metric}
};

class ColumnPattern {
 public:
  // Throws emlab::Error naming the flag for a pattern without {task}, a placeholder other than
  // {task}, {shots} and {metric} or given twice, or two placeholders with no text between them.
  ColumnPattern(const std::string& pattern, const std::string& flag);

  // The reading of `column`, or nullopt when it does not match. Where the name reads more than
  // one way ("{task}_{metric}" on "arc_easy_acc_norm"), the one whose metric is a metric name
  // emlab knows wins (acc_norm), else the one with the longest task.
  std::optional<ColumnName> read(const std::string& column) const;

 private:
  struct Part {
    bool field = false;
    std::string text;  // the literal, or the field's name
  };
  std::vector<Part> parts_;
};

}  // namespace emlab::imports
