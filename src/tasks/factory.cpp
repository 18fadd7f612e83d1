#include "tasks/factory.hpp"

#include <cctype>

#include "core/error.hpp"
#include "tasks/arithmetic.hpp"
#include "tasks/composition.hpp"
#include "tasks/fact_and_sum.hpp"
#include "tasks/hop.hpp"
#include "tasks/knowledge_base.hpp"
#include "tasks/recall.hpp"
#include "tasks/sequence_tasks.hpp"
#include "tasks/stack_machine.hpp"

namespace emlab::tasks {

const std::vector<std::string>& task_names() {
  static const std::vector<std::string> names = {"add",        "sub",          "mul",   "reverse",
                                                 "copy",       "hop",          "kb",    "stack",
                                                 "lookup_add", "fact_and_sum", "recall"};
  return names;
}

std::unique_ptr<Task> make_task(const std::string& name, const TaskParams& params) {
  ParamReader r(name, params);
  if (name == "add") return std::make_unique<ArithmeticTask>(ArithmeticOp::kAdd, r);
  if (name == "sub") return std::make_unique<ArithmeticTask>(ArithmeticOp::kSub, r);
  if (name == "mul") return std::make_unique<ArithmeticTask>(ArithmeticOp::kMul, r);
  if (name == "reverse") return std::make_unique<ReverseTask>(r);
  if (name == "copy") return std::make_unique<CopyTask>(r);
  if (name == "hop") return std::make_unique<HopTask>(r);
  if (name == "kb") return std::make_unique<KnowledgeTask>(r);
  if (name == "stack") return std::make_unique<StackTask>(r);
  if (name == "lookup_add") return std::make_unique<LookupAddTask>(r);
  if (name == "fact_and_sum") return std::make_unique<FactAndSumTask>(r);
  if (name == "recall") return std::make_unique<RecallTask>(r);
  std::string known;
  for (const auto& n : task_names()) known += (known.empty() ? "" : ", ") + n;
  fail("unknown task '{}' (tasks: {})", name, known);
}

TaskSpec parse_task_spec(std::string_view text) {
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  };
  const auto trimmed = [](std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return s;
  };
  const std::string_view whole = text;
  text = trimmed(text);
  TaskSpec spec;
  size_t i = 0;
  while (i < text.size() && is_name_char(text[i])) ++i;
  spec.name = std::string(text.substr(0, i));
  require(!spec.name.empty(), "task spec \"{}\": expected a task name first", whole);
  std::string_view rest = trimmed(text.substr(i));
  if (rest.empty()) return spec;
  require(rest.front() == '(' && rest.back() == ')',
          "task spec \"{}\": parameters go in parentheses, as in add(digits=3 reverse=true)",
          whole);
  rest = rest.substr(1, rest.size() - 2);
  size_t pos = 0;
  while (pos < rest.size()) {
    if (std::isspace(static_cast<unsigned char>(rest[pos])) || rest[pos] == ',') {
      ++pos;
      continue;
    }
    size_t end = pos;
    while (end < rest.size() && !std::isspace(static_cast<unsigned char>(rest[end])) &&
           rest[end] != ',')
      ++end;
    const std::string_view item = rest.substr(pos, end - pos);
    const size_t eq = item.find('=');
    require(eq != std::string_view::npos && eq > 0 && eq + 1 < item.size(),
            "task spec \"{}\": expected key=value, got '{}'", whole, item);
    spec.params.set(std::string(item.substr(0, eq)), item.substr(eq + 1));
    pos = end;
  }
  return spec;
}

}  // namespace emlab::tasks
