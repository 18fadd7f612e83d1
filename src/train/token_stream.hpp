#pragma once
// Where training tokens come from. A stream fills batches of (tokens, targets) and can save and
// restore its position exactly, so a resumed run sees the very batches it would have seen.
#include <cstdint>
#include <memory>
#include <string>

namespace emlab::train {

class TokenStream {
 public:
  virtual ~TokenStream() = default;
  // Smallest vocabulary the stream's tokens fit in.
  virtual int vocab_size() const = 0;
  // tokens, targets: (B,T) row-major; a target of -1 marks a position that is not scored.
  virtual void next_batch(int B, int T, int32_t* tokens, int32_t* targets) = 0;
  virtual std::string save_state() const = 0;
  virtual void restore_state(const std::string& state) = 0;  // throws emlab::Error if malformed
  virtual std::string describe() const = 0;
};

}  // namespace emlab::train
