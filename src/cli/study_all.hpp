#pragma once
// `emlab study run --all`: every study in the studies folder, one after another (studies that share
// a sweep at the same scale share its database, so the first trains and the rest only analyse;
// running the command again resumes), then one summary: a database holding every verdict with a
// link to each study's own report, its report, and a table on the terminal.
#include <string>

#include "study/study_runner.hpp"

namespace emlab::cli {

struct AllStudiesOptions {
  std::string scale = "small";
  std::string dir;      // the studies folder
  std::string summary;  // the summary database ("": runs/studies/all-SCALE.sqlite)
  study::StudyRunOptions run;
};

// Returns the exit status: 0 when every study ended in a verdict, 130 when a sweep was
// interrupted (run again to resume), 1 when a study could not run (the others still ran).
int run_all_studies(const AllStudiesOptions& options);

}  // namespace emlab::cli
