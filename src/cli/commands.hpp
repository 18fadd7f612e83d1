#pragma once
// Each `emlab` subcommand lives in its own cmd_<name>.cpp and registers itself here.
#include <CLI/CLI.hpp>

namespace emlab::cli {

void register_train(CLI::App& app);
void register_bench(CLI::App& app);
void register_eval(CLI::App& app);      // evaluation of a checkpoint on tasks
void register_fit(CLI::App& app);       // analysis: scaling-law fits, emergence measures
void register_forecast(CLI::App& app);  // analysis: backtested forecasts
void register_sweep(CLI::App& app);     // families of runs into a results database
void register_status(CLI::App& app);    // what a results database holds
void register_export(CLI::App& app);    // a results database as CSV/JSON
void register_report(CLI::App& app);    // a study as one self-contained HTML page
void register_serve(CLI::App& app);     // the report over HTTP, live while a sweep runs
void register_study(CLI::App& app);     // claims about emergence as studies with verdicts
void register_import(CLI::App& app);    // evaluations of real model families
void register_probe(CLI::App& app);     // inside one checkpoint: head scores, ablations
// text: train a tokenizer, tokenize a corpus into its token file
void register_tokenizer(CLI::App& app);
// text: shipped corpora (the Brown corpus) as plain text
void register_corpus(CLI::App& app);

}  // namespace emlab::cli
