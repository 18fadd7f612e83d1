// emlab import: evaluations of real model families (lm-evaluation-harness results and per-sample
// logs, BIG-bench results, wide and long CSV tables) into a results database (docs/import.md).
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "imports/import_formats.hpp"
#include "imports/importer.hpp"
#include "store/database.hpp"

namespace emlab::cli {

namespace {

struct ImportCommand {
  std::vector<std::string> paths;
  std::string database;
  std::vector<std::string> splits;  // COLUMN=TASK:METRIC
  std::string params_unit = "1", non_embedding_unit = "1", tokens_unit = "1", flops_unit = "1";
  bool quiet = false;
  imports::ImportOptions options;
};

// The formats that read a flag, for its help ("lm-eval, lm-eval-samples: ...").
std::string formats_reading(const std::string& flag) {
  std::vector<std::string> names;
  for (const imports::ImportFormat& f : imports::import_format_table())
    if (std::find(f.flags.begin(), f.flags.end(), flag) != f.flags.end()) names.push_back(f.name);
  return fmt::format("{}", fmt::join(names, ", "));
}

// A format's flag given to another format would be silently ignored: say so instead.
void check_flags_fit_format(const CLI::App& cmd, const std::string& format) {
  const auto& own = imports::find_import_format(format).flags;
  for (const imports::ImportFormat& f : imports::import_format_table())
    for (const std::string& flag : f.flags)
      require(cmd.count(flag) == 0 || std::find(own.begin(), own.end(), flag) != own.end(),
              "{}: the {} format does not read it (only {})", flag, format, formats_reading(flag));
}

void run_import(ImportCommand& c) {
  auto& wide = c.options.wide;
  wide.params.unit = imports::parse_unit(c.params_unit, "--params-unit");
  wide.non_embedding_params.unit =
      imports::parse_unit(c.non_embedding_unit, "--non-embedding-unit");
  wide.tokens.unit = imports::parse_unit(c.tokens_unit, "--tokens-unit");
  wide.flops.unit = imports::parse_unit(c.flops_unit, "--flops-unit");
  for (const std::string& s : c.splits) {
    const size_t eq = s.find('='), colon = s.rfind(':');
    require(
        eq != std::string::npos && colon != std::string::npos && colon > eq + 1 &&
            colon + 1 < s.size() && eq > 0,
        "--split '{}': expected COLUMN=TASK:METRIC (e.g. arithmetic_3da_acc=arithmetic_3da:acc)",
        s);
    wide.split[s.substr(0, eq)] = {s.substr(eq + 1, colon - eq - 1), s.substr(colon + 1)};
  }
  std::vector<std::string> files;
  for (const std::string& p : c.paths)
    for (std::string& f : imports::expand_import_paths(c.options.format, p))
      files.push_back(std::move(f));
  store::Database db(c.database);
  int added = 0, skipped = 0, scores = 0, skipped_files = 0, skipped_models = 0;
  imports::import_files(db, files, c.options, [&](const imports::FileResult& r) {
    skipped_models += r.summary.skipped;
    if (!c.quiet)
      for (const std::string& note : r.notes) fmt::print("  note: {}\n", note);
    if (r.summary.models == 0 && !r.summary.already_imported) {
      ++skipped_files;
      if (!c.quiet)
        fmt::print("{}: nothing imported: every model lacks a parameter count\n", r.path);
      return;
    }
    if (r.summary.already_imported) {
      ++skipped;
      if (!c.quiet)
        fmt::print("{}: already imported (same bytes as {}); nothing changed\n", r.path,
                   r.summary.previous_path);
      return;
    }
    ++added;
    scores += r.summary.scores;
    if (!c.quiet)
      fmt::print("{}: {} model(s), {} checkpoint(s), {} score(s){}\n", r.path, r.summary.models,
                 r.summary.checkpoints, r.summary.scores,
                 r.summary.examples ? fmt::format(", {} example records", r.summary.examples) : "");
  });
  fmt::print("imported {} file(s) ({} scores) into {}{}{}{}\n", added, scores, c.database,
             skipped ? fmt::format("; {} already there", skipped) : "",
             skipped_files ? fmt::format("; {} with nothing to import", skipped_files) : "",
             skipped_models
                 ? fmt::format("; {} model(s) skipped without a parameter count", skipped_models)
                 : "");
}

}  // namespace

void register_import(CLI::App& app) {
  auto c = std::make_shared<ImportCommand>();
  CLI::App* cmd = app.add_subcommand(
      "import", "Import evaluations of real models (lm-eval, BIG-bench, CSV) into a database");
  const auto& names = imports::import_formats();
  cmd->add_option(
         "format", c->options.format,
         fmt::format("{} or {}", fmt::join(names.begin(), names.end() - 1, ", "), names.back()))
      ->required()
      ->check(CLI::IsMember(names));
  cmd->add_option("paths", c->paths, "Files, or folders of them")->required();
  cmd->add_option("--into", c->database, "Results database (created if absent)")->required();
  cmd->add_option("--family", c->options.family, "Model family, where the file gives none");
  cmd->add_option("--meta", c->options.meta,
                  "CSV of model facts: model, family, params, non_embedding_params, tokens, "
                  "flops, step (repeatable; a blank cell is unknown)")
      ->check(CLI::ExistingFile);
  // The formats' own flags; the table of formats says which format reads which.
  auto own = [&](const std::string& flag, const std::string& help) {
    return fmt::format("{}: {}", formats_reading(flag), help);
  };
  cmd->add_option("--model", c->options.model, own("--model", "the model, if not in the file"));
  cmd->add_option("--task", c->options.task, own("--task", "the task, if not in the file name"));
  cmd->add_option("--step", c->options.step, own("--step", "the checkpoint's training step"));
  cmd->add_option("--shots", c->options.shots, own("--shots", "number of shots"))
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--model-column", c->options.wide.model_column,
                  own("--model-column", "the model column"));
  cmd->add_option("--family-column", c->options.wide.family_column,
                  own("--family-column", "the family column (default: one named family)"));
  cmd->add_option("--params-column", c->options.wide.params.column,
                  own("--params-column", "parameters column"));
  cmd->add_option("--params-unit", c->params_unit,
                  own("--params-unit", "unit of it (1, k, M, B, T or a number)"));
  cmd->add_option("--non-embedding-column", c->options.wide.non_embedding_params.column,
                  own("--non-embedding-column", "non-embedding parameters column"));
  cmd->add_option("--non-embedding-unit", c->non_embedding_unit,
                  own("--non-embedding-unit", "unit of it"));
  cmd->add_option("--tokens-column", c->options.wide.tokens.column,
                  own("--tokens-column", "training tokens column"));
  cmd->add_option("--tokens-unit", c->tokens_unit, own("--tokens-unit", "unit of it"));
  cmd->add_option("--flops-column", c->options.wide.flops.column,
                  own("--flops-column", "training FLOPs column"));
  cmd->add_option("--flops-unit", c->flops_unit, own("--flops-unit", "unit of it (e.g. 1e21)"));
  cmd->add_option("--step-column", c->options.wide.step.column,
                  own("--step-column", "training step column"));
  cmd->add_option("--split", c->splits,
                  own("--split", "COLUMN=TASK:METRIC, how to read a column's name"));
  cmd->add_option("--columns", c->options.wide.columns,
                  own("--columns",
                      "how score columns are named, e.g. '{task}_{shots}shot_{metric}' or "
                      "'{task}_{shots}_{metric}'"));
  cmd->add_flag("--skip-incomplete", c->options.skip_incomplete,
                "Leave out (and list) models without a parameter count instead of stopping");
  cmd->add_flag("-q,--quiet", c->quiet, "Print only the total");
  cmd->callback([c, cmd] {
    check_flags_fit_format(*cmd, c->options.format);
    run_import(*c);
  });
}

}  // namespace emlab::cli
