// Runs before any shared library initialises. OpenBLAS allocates a 128 MiB work buffer per thread
// while it loads and, when an address-space limit (`ulimit -v`) refuses one, retries forever:
// emlab would hang before main(). This checks for that room first and, without it, exits with a
// message. Only system calls and plain code here: the C library is not initialised yet.
#include <sched.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cstddef>
#include <cstring>

namespace {

void write_text(const char* text) {
  const ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

void write_number(unsigned long long value) {
  char text[24];
  int n = 0;
  do {
    text[n++] = static_cast<char>('0' + value % 10);
    value /= 10;
  } while (value > 0 && n < 23);
  for (int i = 0; i < n / 2; ++i) {
    const char c = text[i];
    text[i] = text[n - 1 - i];
    text[n - 1 - i] = c;
  }
  text[n] = '\0';
  write_text(text);
}

// The value of NAME=digits in envp, or 0.
int env_count(char** envp, const char* name) {
  const size_t length = std::strlen(name);
  for (char** e = envp; e != nullptr && *e != nullptr; ++e) {
    if (std::strncmp(*e, name, length) != 0 || (*e)[length] != '=') continue;
    int value = 0;
    for (const char* c = *e + length + 1; *c >= '0' && *c <= '9' && value < 100000; ++c)
      value = value * 10 + (*c - '0');
    return value;
  }
  return 0;
}

// OpenBLAS's thread count as it decides it at load: its own variable, else OpenMP's, else the
// CPUs this process may run on.
int blas_threads_at_load(char** envp) {
  if (const int n = env_count(envp, "OPENBLAS_NUM_THREADS"); n > 0) return n;
  if (const int n = env_count(envp, "OMP_NUM_THREADS"); n > 0) return n;
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return CPU_COUNT(&set);
  return 1;
}

void check_room_for_blas_buffers(int, char**, char** envp) {
  rlimit limit{};
  if (getrlimit(RLIMIT_AS, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return;
  const int threads = blas_threads_at_load(envp);
  // Measured on Debian's OpenBLAS 0.3.21: `emlab --version` needs 128 MiB per thread more than
  // is mapped here (about 73 MiB), within a few MiB; 16 MiB covers the rest of the start.
  const size_t need = (size_t{128} << 20) * static_cast<size_t>(threads) + (size_t{16} << 20);
  void* probe = mmap(nullptr, need, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (probe != MAP_FAILED) {
    munmap(probe, need);
    return;
  }
  write_text("emlab: error: out of memory at start: the address-space limit (ulimit -v) is ");
  write_number(limit.rlim_cur >> 20);
  write_text(" MiB, too little for the program and the 128 MiB per thread (");
  write_number(static_cast<unsigned long long>(threads));
  write_text(
      " threads) that the BLAS library allocates as it loads; raise the limit or set "
      "OMP_NUM_THREADS lower\n");
  _exit(1);
}

}  // namespace

// The executable's pre-initialisers run before those of the libraries it loads (ELF gABI).
__attribute__((section(".preinit_array"), used)) void (*const emlab_startup_memory_check)(
    int, char**, char**) = check_room_for_blas_buffers;
