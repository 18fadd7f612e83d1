#pragma once
// Ceres reports through glog. Degenerate starts (α = 0 on the Hoffmann grid, a saturated sigmoid)
// make it log harmless warnings per start; keep only errors, once per process.
namespace emlab::analysis {

void quiet_ceres_logging();

}  // namespace emlab::analysis
