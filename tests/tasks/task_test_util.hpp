#pragma once
// Helpers for the task tests: building tasks from "key=value" lists and exact 128-bit integers
// parsed from decoded text, as an arithmetic independent of the generators' digit vectors.
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "tasks/alphabet.hpp"
#include "tasks/factory.hpp"

namespace emlab::tasks::tasktest {

__extension__ using U128 = unsigned __int128;

inline std::unique_ptr<Task> task(const std::string& name,
                                  const std::vector<std::pair<std::string, std::string>>& kv = {}) {
  TaskParams p;
  for (const auto& [k, v] : kv) p.set(k, v);
  return make_task(name, p);
}

inline U128 parse_u128(const std::string& digits) {
  U128 v = 0;
  for (const char c : digits) v = v * 10 + static_cast<unsigned>(c - '0');
  return v;
}

inline std::string u128_string(U128 v) {
  std::string s;
  do {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(v % 10)));
    v /= 10;
  } while (v > 0);
  return s;
}

inline std::string text(const std::vector<int32_t>& tokens) {
  return decode(tokens);
}

// The answer's text without the final <eos>.
inline std::string answer_text(const Example& e) {
  std::vector<int32_t> a = e.target;
  if (!a.empty() && a.back() == tok::kEos) a.pop_back();
  return decode(a);
}

}  // namespace emlab::tasks::tasktest
