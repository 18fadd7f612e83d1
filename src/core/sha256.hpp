#pragma once
// SHA-256 over bytes fed piece by piece (OpenSSL): what identifies a file, a corpus or a
// tokenizer, so a cache built from other bytes is never mistaken for this one.
#include <memory>
#include <string>
#include <string_view>

namespace emlab {

class Sha256 {
 public:
  Sha256();  // throws emlab::Error when OpenSSL cannot start a digest
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;

  void update(std::string_view bytes);
  std::string hex_digest();  // lower-case hex, as sha256sum prints it; ends the digest

 private:
  struct Context;
  std::unique_ptr<Context> context_;
};

}  // namespace emlab
