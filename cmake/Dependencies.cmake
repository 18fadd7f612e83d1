# Every dependency is a Debian package installed by scripts/setup.sh.
find_package(OpenMP REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(Eigen3 REQUIRED NO_MODULE)
find_package(Ceres REQUIRED)
find_package(OpenSSL REQUIRED)  # SHA-256 of imported files
find_package(PkgConfig REQUIRED)
pkg_check_modules(TOMLPP REQUIRED IMPORTED_TARGET tomlplusplus)
# Text corpora: gzip-compressed files (zlib1g-dev) and SentencePiece tokenizers
# (libsentencepiece-dev; its pkg-config file links the trainer too).
find_package(ZLIB REQUIRED)
pkg_check_modules(SENTENCEPIECE REQUIRED IMPORTED_TARGET sentencepiece)

# OpenBLAS: link the chosen Debian build by its own folder so the loader does not follow the
# system-wide alternative (which defaults to the pthread build).
find_path(OPENBLAS_INCLUDE_DIR cblas.h PATH_SUFFIXES openblas-${EMLAB_OPENBLAS_VARIANT} REQUIRED)
find_library(OPENBLAS_LIBRARY NAMES openblas libopenblas.so.0
  PATHS /usr/lib/${CMAKE_LIBRARY_ARCHITECTURE}/openblas-${EMLAB_OPENBLAS_VARIANT}
  NO_DEFAULT_PATH REQUIRED)
add_library(emlab_openblas INTERFACE)
target_include_directories(emlab_openblas INTERFACE ${OPENBLAS_INCLUDE_DIR})
target_link_libraries(emlab_openblas INTERFACE ${OPENBLAS_LIBRARY})
message(STATUS "emlab: OpenBLAS ${EMLAB_OPENBLAS_VARIANT}: ${OPENBLAS_LIBRARY}")

find_package(GTest)
find_package(benchmark)

# Open MPI (libopenmpi-dev) for sweeps over several machines; optional.
option(EMLAB_MPI "Build MPI sweeps when Open MPI is installed" ON)
if(EMLAB_MPI)
  find_package(MPI COMPONENTS CXX)
endif()
message(STATUS "emlab: MPI sweeps: ${MPI_CXX_FOUND}")

# cpp-httplib (libcpp-httplib-dev) for `emlab serve`.
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
