// emlab: the command-line front end. Every failure the user can cause is an emlab::Error, printed
// as one line on stderr with exit status 1; CLI usage errors exit with CLI11's codes.
#include <fmt/format.h>

#include <cstdio>
#include <exception>

#include "cli/commands.hpp"
#include "cli/format.hpp"
#include "core/error.hpp"
#include "nn/blas.hpp"

int main(int argc, char** argv) {
  emlab::nn::select_blas_kernels(argv);
  CLI::App app{"Emergence Lab: train model families, evaluate abilities, fit scaling laws"};
  app.set_version_flag("--version", EMLAB_VERSION);
  app.require_subcommand(1);
  emlab::cli::register_train(app);
  emlab::cli::register_bench(app);
  emlab::cli::register_eval(app);
  emlab::cli::register_fit(app);
  emlab::cli::register_forecast(app);
  emlab::cli::register_sweep(app);
  emlab::cli::register_status(app);
  emlab::cli::register_export(app);
  emlab::cli::register_report(app);
  emlab::cli::register_serve(app);
  emlab::cli::register_study(app);
  emlab::cli::register_import(app);
  emlab::cli::register_probe(app);
  emlab::cli::register_tokenizer(app);
  emlab::cli::register_corpus(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  } catch (const emlab::cli::ExitCode& e) {
    return e.code;
  } catch (const emlab::Error& e) {
    fmt::print(stderr, "emlab: error: {}\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    fmt::print(stderr, "emlab: internal error: {}\n", e.what());
    return 2;
  }
  return 0;
}
