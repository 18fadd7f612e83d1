#include "core/provenance.hpp"

#include <omp.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>

#ifndef EMLAB_GIT_VERSION
#define EMLAB_GIT_VERSION "unknown"
#endif

namespace emlab {

std::string code_version() {
  return EMLAB_GIT_VERSION;
}

nlohmann::json machine_description() {
  char host[256] = {};
  gethostname(host, sizeof host - 1);
  std::string cpu = "unknown";
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line);) {
    if (line.rfind("model name", 0) == 0) {
      cpu = line.substr(line.find(':') + 2);
      break;
    }
  }
  return {{"hostname", host},
          {"cpu", cpu},
          {"cores", std::thread::hardware_concurrency()},
          {"omp_threads", omp_get_max_threads()}};
}

}  // namespace emlab
