#pragma once
// Every probe that `emlab probe -p` and a sweep's [probes] table can run, in one table: its name,
// whether it scores each head (layer × head) or the model as a whole, what it reads, the scores
// it stores and the function that runs it. The runner, the options' checks, the CLI's help and
// head tables, and the report's heatmaps read this table, so a new probe is one file (its run
// function) plus one line in probe_registry.cpp.
#include <functional>
#include <string>
#include <vector>

#include "probe/probe_inputs.hpp"
#include "probe/probe_options.hpp"

namespace emlab::probe {

enum class ProbeScope {
  kHead,   // one score per layer and head
  kLayer,  // one score per layer (head -1)
  kModel,  // one score for the whole model (layer and head -1)
};

// What a probe reads. Stored scores are grouped in this order, then by layer and head: the order
// the probes have always been stored in (export lists them in it).
enum class ProbeReads {
  kProbeBatchAttention,  // the attention pattern of the repeated-block batch
  kProbeBatchLoss,       // the model's loss on the repeated-block batch
  kWeights,              // the weights alone
  kHeldOutStream,        // held-out sequences of the training distribution (skipped without)
};

// Adds one score: one of the probe's `scores`, its layer and head (-1 for the model), its value.
using EmitScore = std::function<void(const std::string& score, int layer, int head, double value)>;

struct ProbeKind {
  std::string name;  // as -p/--probe and [probes] probes = [...] name it
  ProbeScope scope;
  ProbeReads reads;
  std::vector<std::string> scores;  // what it stores; a head probe's first is its own name
  void (*run)(ProbeInputs& inputs, const EmitScore& emit);
};

// In the order help and error messages list them.
const std::vector<ProbeKind>& probe_kinds();
// Their names, in that order.
const std::vector<std::string>& probe_names();
// nullptr when no probe has that name.
const ProbeKind* find_probe(const std::string& name);

// The hop_accuracy probe's scores for k hops: the share of labelled positions right, and how many
// were scored (the depth study and the report's Depth section read them).
std::string hop_accuracy_score(int k);
std::string hop_positions_score(int k);

// Whether a probe of `options` reads held-out sequences, which only the caller can make (it
// knows the training data).
bool needs_held_out(const ProbeOptions& options);

}  // namespace emlab::probe
