#include "sweep/mpi_sweep.hpp"

#include <cstdlib>

#include "core/error.hpp"
#include "core/parse_number.hpp"

#ifdef EMLAB_WITH_MPI
#include <mpi.h>
#include <signal.h>

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <thread>

#include "core/format.hpp"
#include "core/threads.hpp"
#include "core/timer.hpp"
#include "store/run_store.hpp"
#include "sweep/ledger_messages.hpp"
#include "sweep/progress_view.hpp"
#include "sweep/run_executor.hpp"
#include "sweep/worker.hpp"
#endif

namespace emlab::sweep {

namespace {
// The number of processes the launcher started, from its environment (0: none seen).
int launcher_size() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "PMI_SIZE"}) {
    const char* value = std::getenv(name);
    if (value != nullptr && std::atoi(value) > 0) return std::atoi(value);
  }
  return 0;
}
}  // namespace

bool launched_by_mpi() {
  return launcher_size() > 1 || std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr;
}

#ifndef EMLAB_WITH_MPI

bool built_with_mpi() {
  return false;
}

int run_mpi_sweep(const SweepConfig&, const SweepOptions&) {
  fail(
      "this emlab was built without MPI (install libopenmpi-dev and rebuild), so it cannot run "
      "under mpirun; run `emlab sweep` without mpirun to use this machine alone");
}

#else

bool built_with_mpi() {
  return true;
}

namespace {

// Message tags: a worker's request names what it wants; rank 0 answers on kReply.
enum Tag : int { kClaim = 1, kProgress, kCheckpoint, kFinish, kRelease, kReply };

std::atomic<bool> g_stop{false};
extern "C" void on_mpi_sweep_stop(int) {
  g_stop.store(true);
}

void send_text(const std::string& text, int to, int tag) {
  MPI_Send(text.data(), static_cast<int>(text.size()), MPI_CHAR, to, tag, MPI_COMM_WORLD);
}

std::string receive_text(const MPI_Status& probed) {
  int size = 0;
  MPI_Get_count(&probed, MPI_CHAR, &size);
  std::string text(static_cast<size_t>(size), '\0');
  MPI_Recv(text.data(), size, MPI_CHAR, probed.MPI_SOURCE, probed.MPI_TAG, MPI_COMM_WORLD,
           MPI_STATUS_IGNORE);
  return text;
}

// Waits for a message without spinning a core (Open MPI's blocking receive busy-polls, which would
// take a core from the runs on rank 0's node).
bool poll_message(int source, int tag, MPI_Status& status) {
  int ready = 0;
  MPI_Iprobe(source, tag, MPI_COMM_WORLD, &ready, &status);
  if (!ready) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return ready != 0;
}

// A worker's ledger: every call is a message to rank 0 and (except progress) waits for its reply.
class MpiLedger final : public Ledger {
 public:
  MpiLedger(std::string worker, int threads) : worker_(std::move(worker)), threads_(threads) {}

  std::optional<Assignment> claim() override {
    const nlohmann::json reply = call(kClaim, {{"worker", worker_}, {"threads", threads_}});
    if (reply.is_null()) {
      dismissed_ = true;
      return std::nullopt;
    }
    // Rank 0 says how many threads the sweep's runs use (the same on every rank, every start).
    set_thread_count(reply.at("threads").get<int>());
    return assignment_from_json(reply.at("assignment"));
  }
  void progress(int64_t run_id, int64_t step, double loss, double tps, double eta) override {
    send_text(nlohmann::json{{"worker", worker_},
                             {"run", run_id},
                             {"step", step},
                             {"loss", loss},
                             {"tps", tps},
                             {"eta", eta}}
                  .dump(),
              0, kProgress);
  }
  void checkpoint(int64_t run_id, const store::CheckpointWrite& write) override {
    call(kCheckpoint, {{"worker", worker_}, {"run", run_id}, {"write", to_json(write)}});
  }
  void finish(int64_t run_id, bool completed, const std::string& reason, double final_loss,
              const store::RunTimes& times) override {
    call(kFinish, {{"worker", worker_},
                   {"run", run_id},
                   {"completed", completed},
                   {"reason", reason},
                   {"final_loss", std::isfinite(final_loss) ? nlohmann::json(final_loss)
                                                            : nlohmann::json(nullptr)},
                   {"times", to_json(times)}});
  }
  void release(int64_t run_id, const store::RunTimes& times) override {
    call(kRelease, {{"worker", worker_}, {"run", run_id}, {"times", to_json(times)}});
  }
  // A worker that stops before rank 0 ran out of runs (interrupted, or its ledger failed) says so,
  // or rank 0 would wait for its next claim forever.
  void leave() {
    if (dismissed_) return;
    try {
      call(kClaim, {{"worker", worker_}, {"leaving", true}});
    } catch (const Error&) {
    }
    dismissed_ = true;
  }

 private:
  nlohmann::json call(int tag, const nlohmann::json& request) {
    send_text(request.dump(), 0, tag);
    MPI_Status status;
    while (!poll_message(0, kReply, status)) {
    }
    const nlohmann::json reply = nlohmann::json::parse(receive_text(status));
    if (reply.contains("lost")) throw store::RunLost(reply.at("lost").get<std::string>());
    if (reply.contains("error")) throw LedgerFailure(reply.at("error").get<std::string>());
    return reply.at("result");
  }

  std::string worker_;
  int threads_;             // what this rank would use if the sweep had not chosen yet
  bool dismissed_ = false;  // rank 0 has answered a claim with "no run left"
};

// Rank 0: serves the workers' requests from the database until every worker has been told that
// no run is left.
int coordinate(const SweepConfig& config, const SweepOptions& options, int ranks) {
  SweepSession session(config, options, fmt::format(" over MPI: {} worker ranks", ranks - 1));
  store::Database& db = session.db();
  store::RunStore& store = session.store();
  // Threads per run: as asked, else as this sweep used before, else the first worker's default.
  // Same order as on one machine: --threads, then what this sweep used before, then the config.
  int threads = options.threads_per_run;
  const auto stored = store.meta(kThreadsKey);
  if (threads <= 0 && stored)
    threads = int(parse_integer(*stored, "database meta 'threads_per_run'"));
  if (threads <= 0) threads = config.threads_per_run;
  if (threads > 0 && !stored) store.set_meta(kThreadsKey, std::to_string(threads));
  std::map<std::string, std::unique_ptr<DatabaseLedger> > ledgers;
  auto ledger_of = [&](const std::string& worker) -> DatabaseLedger& {
    auto& l = ledgers[worker];
    if (!l) l = std::make_unique<DatabaseLedger>(db, worker);
    return *l;
  };
  int active = ranks - 1;
  std::string error;
  Timer since_view;
  while (active > 0) {
    MPI_Status status;
    if (!poll_message(MPI_ANY_SOURCE, MPI_ANY_TAG, status)) {
      if (since_view.seconds() > 0.25) {
        session.refresh();
        since_view.reset();
      }
      continue;
    }
    const nlohmann::json request = nlohmann::json::parse(receive_text(status));
    const std::string worker = request.at("worker").get<std::string>();
    nlohmann::json reply;
    try {
      DatabaseLedger& ledger = ledger_of(worker);
      switch (status.MPI_TAG) {
        case kClaim: {
          const bool leaving = request.contains("leaving");
          const auto a =
              (leaving || g_stop.load() || !error.empty()) ? std::nullopt : ledger.claim();
          if (a) {
            if (threads <= 0) {  // the first worker's default becomes the sweep's
              threads = request.at("threads").get<int>();
              store.set_meta(kThreadsKey, std::to_string(threads));
            }
            reply["result"] = {{"assignment", to_json(*a)}, {"threads", threads}};
          } else {
            reply["result"] = nullptr;
            --active;
          }
          break;
        }
        case kProgress:
          ledger.progress(request.at("run"), request.at("step"), request.at("loss"),
                          request.at("tps"), request.at("eta"));
          continue;  // no reply
        case kCheckpoint:
          ledger.checkpoint(request.at("run"), checkpoint_write_from_json(request.at("write")));
          break;
        case kFinish: {
          const auto& loss = request.at("final_loss");
          ledger.finish(request.at("run"), request.at("completed"), request.at("reason"),
                        loss.is_null() ? std::nan("") : loss.get<double>(),
                        run_times_from_json(request.at("times")));
          break;
        }
        case kRelease:
          ledger.release(request.at("run"), run_times_from_json(request.at("times")));
          break;
      }
      if (!reply.contains("result")) reply["result"] = nullptr;
    } catch (const store::RunLost& e) {
      reply = {{"lost", e.what()}};
    } catch (const Error& e) {
      if (status.MPI_TAG == kProgress) continue;
      reply = {{"error", e.what()}};
      error = e.what();
    }
    send_text(reply.dump(), status.MPI_SOURCE, kReply);
  }
  session.print_summary();
  if (!error.empty()) {
    fmt::print(stderr, "emlab: error: {}\n", error);
    return 1;
  }
  return g_stop.load() ? 130 : 0;
}

int work(const SweepConfig& config, const SweepOptions& options, int rank) {
  // This rank's default threads per run: this node's cores shared among the ranks on it. Rank 0
  // may override it with the sweep's own choice (with each run it hands out).
  // A rank the launcher bound to some cores uses them all; an unbound one shares its node's
  // CPUs with the other ranks there.
  const int mine = static_cast<int>(available_cpus().size());
  const bool bound = mine < static_cast<int>(std::thread::hardware_concurrency());
  const char* local = std::getenv("OMPI_COMM_WORLD_LOCAL_SIZE");
  const int ranks_here = local != nullptr ? std::max(1, std::atoi(local)) : 1;
  const int threads = bound ? mine : std::max(1, mine / ranks_here);
  const std::filesystem::path database =
      options.database.empty() ? config.database : options.database;
  MpiLedger ledger(fmt::format("rank{}@{}", rank, worker_name()), threads);
  ExecutorOptions executor;
  executor.runs_dir = runs_dir_for(database);
  executor.keep_checkpoints = config.keep_checkpoints;
  executor.resume_every_seconds = config.resume_every_seconds;
  executor.stop = &g_stop;
  try {
    const WorkerSummary summary = run_worker(ledger, executor);
    ledger.leave();
    return summary.paused ? 130 : 0;
  } catch (const Error& e) {
    fmt::print(stderr, "emlab: error (rank {}): {}\n", rank, e.what());
    ledger.leave();
    return 1;
  }
}

}  // namespace

int run_mpi_sweep(const SweepConfig& config, const SweepOptions& options) {
  MPI_Init(nullptr, nullptr);
  int rank = 0, ranks = 1;
  MPI_Comm_rank(MPI_COMM_WORLD, &rank);
  MPI_Comm_size(MPI_COMM_WORLD, &ranks);
  if (ranks == 1) {
    MPI_Finalize();
    // Several processes were started but MPI sees one: a launcher this Open MPI build cannot talk
    // to. Going on would make every process a coordinator of the same database.
    require(launcher_size() <= 1,
            "started as one of {} processes, but MPI sees only this one: launch with Open MPI's "
            "mpirun (or srun --mpi=pmix) matching the Open MPI emlab was built with",
            launcher_size());
    return run_local_sweep(config, options);
  }
  g_stop = false;
  signal(SIGINT, on_mpi_sweep_stop);
  signal(SIGTERM, on_mpi_sweep_stop);
  int code = 0;
  try {
    code = rank == 0 ? coordinate(config, options, ranks) : work(config, options, rank);
  } catch (const Error& e) {
    // Rank 0 could not open or plan the database: nothing can be stored, so end every rank.
    fmt::print(stderr, "emlab: error: {}\n", e.what());
    std::fflush(stderr);
    MPI_Abort(MPI_COMM_WORLD, 1);
  }
  MPI_Finalize();
  return code;
}

#endif

}  // namespace emlab::sweep
