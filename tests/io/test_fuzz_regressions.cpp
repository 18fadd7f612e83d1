// Inputs that fuzzing found (scripts/fuzz.sh), kept in tests/data/fuzz/TARGET/: each must end in
// a parsed config or a clear emlab::Error, never another exception, a crash or (in the sanitizer
// stage of scripts/test.sh) undefined behaviour.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "io/train_config_toml.hpp"
#include "support/error_message.hpp"

namespace emlab::io {
namespace {

namespace fs = std::filesystem;

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(FuzzRegressions, TrainConfigsEndInAConfigOrAClearError) {
  const fs::path dir = fs::path(EMLAB_TEST_DATA) / "fuzz" / "train_config";
  int inputs = 0;
  for (const auto& entry : fs::directory_iterator(dir)) {
    ++inputs;
    try {
      parse_train_config(read(entry.path()), entry.path().filename().string());
    } catch (const Error&) {
    } catch (const std::exception& e) {
      ADD_FAILURE() << entry.path() << ": " << e.what();
    }
  }
  EXPECT_GE(inputs, 1);
}

TEST(FuzzRegressions, NumbersBeyondWhatTheFieldHoldsAreClearErrorsOrExact) {
  // An integer a double cannot hold exactly is read as the nearest double (it threw
  // std::bad_optional_access), and a float field refuses what a float cannot hold.
  // (error_message lets any exception other than emlab::Error fail the test.)
  testing::error_message(
      [] { parse_train_config("[optim]\nweight_decay = 6111111111111111111\n", "a.toml"); });
  EXPECT_NE(testing::error_message([] {
              parse_train_config("[optim]\nlearning_rate = 1e300\n", "b.toml");
            }).find("b.toml:2: optim.learning_rate: 1e+300 is out of range for a 32-bit float"),
            std::string::npos)
      << testing::error_message(
             [] { parse_train_config("[optim]\nlearning_rate = 1e300\n", "b.toml"); });
}

}  // namespace
}  // namespace emlab::io
