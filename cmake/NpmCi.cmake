# Installs a folder's npm packages (web/, corpora/) with `npm ci` when its node_modules is missing
# or was installed from another package-lock.json, then writes the lock's hash to STAMP (only if it changed, so the build steps
# that read node_modules rerun only after a real change).
#
#   cmake -DNPM=npm -DPACKAGE_DIR=<repo>/web -DSTAMP=<build>/web-modules.stamp -P NpmCi.cmake
#
# Every build folder runs this on every build (it costs a hash of the lock). They share one
# node_modules, so the check and the install happen under a file lock.
cmake_minimum_required(VERSION 3.25)

set(lock ${PACKAGE_DIR}/package-lock.json)
set(installed ${PACKAGE_DIR}/node_modules/.emlab-lock-sha256)
file(SHA256 ${lock} lock_hash)

# Held until this process exits (GUARD FILE crashes CMake 3.25 in script mode).
file(LOCK ${PACKAGE_DIR}/.npm-ci.lock GUARD PROCESS TIMEOUT 900 RESULT_VARIABLE lock_error)
if(lock_error)
  message(FATAL_ERROR "emlab: cannot lock ${PACKAGE_DIR}/.npm-ci.lock: ${lock_error}")
endif()

set(current_hash "")
if(EXISTS ${installed})
  file(READ ${installed} current_hash)
  string(STRIP "${current_hash}" current_hash)
endif()
if(NOT current_hash STREQUAL lock_hash)
  if(NOT NPM)
    message(FATAL_ERROR "emlab: ${PACKAGE_DIR}/node_modules is missing or out of date and npm was "
      "not found. Install Debian's nodejs and npm (scripts/setup.sh) and build again.")
  endif()
  message(STATUS "emlab: npm ci in ${PACKAGE_DIR} (package-lock.json changed or node_modules missing)")
  # --ignore-scripts: only the published browser builds are used, no package code runs here.
  execute_process(COMMAND ${NPM} ci --prefix ${PACKAGE_DIR} --ignore-scripts --no-audit --no-fund
    --loglevel=error RESULT_VARIABLE npm_result)
  if(NOT npm_result EQUAL 0)
    message(FATAL_ERROR "emlab: `npm ci --prefix ${PACKAGE_DIR}` failed (${npm_result}). It needs the "
      "npm registry (registry.npmjs.org) the first time and after package-lock.json changes.")
  endif()
  file(WRITE ${installed} "${lock_hash}\n")
endif()

# The stamp's time changes only with its content: consumers see node_modules change, not each run.
file(WRITE ${STAMP}.tmp "${lock_hash}\n")
file(COPY_FILE ${STAMP}.tmp ${STAMP} ONLY_IF_DIFFERENT)
file(REMOVE ${STAMP}.tmp)
