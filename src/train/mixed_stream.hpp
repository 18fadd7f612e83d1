#pragma once
// Two streams interleaved by rows: each row of a batch comes whole from the second stream with
// probability `share`, else from the first. A text + task mixture uses it (text first, tasks
// second) so that abilities can appear inside language modelling. Its state holds its own
// generator and both streams' states, so a resumed run sees the very rows it would have seen.
#include <memory>
#include <string>

#include "core/rng.hpp"
#include "train/token_stream.hpp"

namespace emlab::train {

class MixedStream final : public TokenStream {
 public:
  // Throws emlab::Error unless 0 < share < 1 and both streams are given.
  MixedStream(std::unique_ptr<TokenStream> first, std::unique_ptr<TokenStream> second, double share,
              uint64_t seed);
  int vocab_size() const override;
  void next_batch(int B, int T, int32_t* tokens, int32_t* targets) override;
  // "mixed <generator>\n<bytes>\n<first's state><bytes>\n<second's state>": lengths, not
  // separators, so any inner state survives.
  std::string save_state() const override;
  void restore_state(const std::string& state) override;
  std::string describe() const override;

 private:
  std::unique_ptr<TokenStream> first_, second_;
  double share_;
  Rng rng_;
};

}  // namespace emlab::train
