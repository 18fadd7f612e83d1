#include "core/threads.hpp"

#include <omp.h>
#include <pmmintrin.h>
#include <sched.h>
#include <xmmintrin.h>

namespace emlab {

std::vector<int> available_cpus() {
  std::vector<int> cpus;
  cpu_set_t set;
  CPU_ZERO(&set);
  if (sched_getaffinity(0, sizeof(set), &set) == 0)
    for (int c = 0; c < CPU_SETSIZE; ++c)
      if (CPU_ISSET(c, &set)) cpus.push_back(c);
  if (cpus.empty())
    for (int c = 0; c < omp_get_num_procs(); ++c) cpus.push_back(c);
  return cpus;
}

int thread_count() {
  return omp_get_max_threads();
}

void set_thread_count(int threads) {
  if (threads <= 0) threads = omp_get_num_procs();
  omp_set_num_threads(threads);
  flush_denormals_to_zero();  // new pool threads start with the default floating-point mode
}

namespace {
void set_ftz_daz() {
  _MM_SET_FLUSH_ZERO_MODE(_MM_FLUSH_ZERO_ON);
  _MM_SET_DENORMALS_ZERO_MODE(_MM_DENORMALS_ZERO_ON);
}
}  // namespace

void flush_denormals_to_zero() {
  set_ftz_daz();
#pragma omp parallel
  set_ftz_daz();
}

}  // namespace emlab
