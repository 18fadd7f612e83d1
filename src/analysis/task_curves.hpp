#pragma once
// Task × metric curves from the task rows of a measurement table, over a chosen axis.
#include <string>
#include <vector>

#include "analysis/measurement_table.hpp"
#include "analysis/scaling_data.hpp"
#include "analysis/wei_test.hpp"

namespace emlab::analysis {

struct TaskCurve {
  std::string task, metric;
  ScaleAxis axis = ScaleAxis::params;
  // Ordered from the smallest model to the largest: ascending scale, or descending loss.
  std::vector<CurvePoint> points;  // x is the raw axis value (not logged)
  std::vector<int> lines;          // source rows
  std::string label() const { return task + " / " + metric; }
  std::vector<double> values() const;
};

// Rows missing the axis value (a blank loss, or the unknown tokens of an imported model) are
// left out: analysis/missing_facts.hpp names their models.
std::vector<TaskCurve> task_curves(const MeasurementTable& table, ScaleAxis axis);

}  // namespace emlab::analysis
