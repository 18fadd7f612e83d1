#include "analysis/ceres_logging.hpp"

#include <glog/logging.h>

namespace emlab::analysis {

void quiet_ceres_logging() {
  static const bool done = [] {
    FLAGS_minloglevel = google::GLOG_ERROR;
    return true;
  }();
  (void)done;
}

}  // namespace emlab::analysis
