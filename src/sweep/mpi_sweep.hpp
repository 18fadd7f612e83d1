#pragma once
// `mpirun -np K emlab sweep CONFIG`: rank 0 owns the database (plans, hands out runs, writes every
// result, shows progress) and trains nothing; ranks 1..K-1 each train one run at a time and send
// their results to rank 0. When a rank dies, mpirun ends the whole job; what was stored stays, and
// the same command resumes every unfinished run from its last stored checkpoint. Built only when
// Open MPI is found at configure time (EMLAB_WITH_MPI).
#include "sweep/local_sweep.hpp"

namespace emlab::sweep {

// True when this process was started by mpirun/srun (the launcher's environment is present).
bool launched_by_mpi();
bool built_with_mpi();

// Exit status as run_local_sweep. With one rank it is the local sweep.
int run_mpi_sweep(const SweepConfig& config, const SweepOptions& options);

}  // namespace emlab::sweep
