#!/usr/bin/env bash
# Installs every build, test and benchmark dependency of Emergence Lab from Debian's packages.
# Idempotent: packages already present are skipped, so a second run costs a few seconds.
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git clang-format
  libopenblas-dev libopenblas0-openmp libopenblas0-pthread
  libeigen3-dev libceres-dev
  libsqlite3-dev sqlite3
  libssl-dev  # SHA-256 of imported files, corpora and tokenizers
  zlib1g-dev libsentencepiece-dev  # text corpora: gzip files, SentencePiece tokenizers
  libopenmpi-dev openmpi-bin
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev libfmt-dev libspdlog-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  python3 python3-numpy
  # HTML reports: npm fetches the chart libraries pinned in web/package-lock.json at build time,
  # chromium opens the pages headless in tests/report/, cpp-httplib is a header-only HTTP server.
  nodejs npm chromium libcpp-httplib-dev
  # Fuzzing (scripts/fuzz.sh): clang with libFuzzer (compiler-rt) and its OpenMP runtime.
  clang libclang-rt-14-dev libomp-dev
)
# Benchmark references (never linked): PyTorch and SciPy, used by bench/ and by reference tests.
if [[ "${EMLAB_SETUP_BENCH:-1}" == 1 ]]; then
  packages+=(python3-torch python3-scipy)
fi

missing=()
for p in "${packages[@]}"; do
  # A Node.js from elsewhere (NodeSource's nodejs) bundles npm and conflicts with Debian's package.
  if [[ $p == npm ]] && command -v npm >/dev/null; then
    continue
  fi
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "setup: all ${#packages[@]} Debian packages present"
  exit 0
fi

echo "setup: installing ${#missing[@]} Debian packages: ${missing[*]}"
sudo_cmd=()
if [[ $(id -u) != 0 ]]; then
  sudo_cmd=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
