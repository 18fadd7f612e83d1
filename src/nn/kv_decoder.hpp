#pragma once
// Incremental decoding with a key-value cache: each step feeds one token per sequence and
// attends over the keys and values cached for that sequence's earlier positions, so generating
// n tokens costs O(n) instead of O(n²) forward passes. Sequences in a batch may sit at different
// positions (prompts of different lengths). Buffers are allocated once, at construction.
#include <cstdint>
#include <vector>

#include "nn/activations.hpp"
#include "nn/gpt.hpp"

namespace emlab::nn {

class KvDecoder {
 public:
  // The model must outlive the decoder; its weights are read at every step.
  KvDecoder(const Gpt& model, int max_batch);

  // Feeds tokens[i] at positions[i] for sequence i < n. Position p of sequence i must follow a
  // step at p−1 for that sequence (or be 0). Returns logits (n, V), valid until the next call.
  // Throws emlab::Error for out-of-range tokens, positions or n.
  const float* step(const int32_t* tokens, const int32_t* positions, int n);

  int max_batch() const { return max_batch_; }
  const Gpt& model() const { return model_; }

 private:
  const Gpt& model_;
  int max_batch_;
  int threads_;  // how many threads the attention scratch has room for
  // Per layer: keys and values of every sequence and position, (B, T, C) each.
  std::vector<float> keys_, values_;
  // One step's activations for up to B rows: the embedding, one block's buffers (reused by every
  // layer) and the output layer's.
  std::vector<float> block_buffer_, embedded_, final_ln_, final_mean_, final_rstd_, logits_;
  BlockActivations block_{};
  std::vector<float> scores_;    // threads × T
  std::vector<int32_t> filled_;  // positions cached so far, per sequence
};

}  // namespace emlab::nn
