#include "core/threads.hpp"

#include <omp.h>

namespace emlab {

int thread_count() { return omp_get_max_threads(); }

void set_thread_count(int threads) {
  if (threads <= 0) threads = omp_get_num_procs();
  omp_set_num_threads(threads);
}

}  // namespace emlab
