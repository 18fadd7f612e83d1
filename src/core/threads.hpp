#pragma once
// Thread count for our own OpenMP regions and for OpenBLAS (the OpenMP build shares the pool).
namespace emlab {

int thread_count();
void set_thread_count(int threads);  // threads <= 0 means all cores

}  // namespace emlab
