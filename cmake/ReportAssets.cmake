# The chart libraries and the page's own script and styles, compiled into emlab_report so a
# report is one HTML file that opens offline (src/report/assets.hpp).
#
# 1. web/node_modules comes from `npm ci` (cmake/NpmCi.cmake) whenever it is missing or was
#    installed from another web/package-lock.json. That check runs on every build; its stamp
#    changes only when the install did.
# 2. cmake/EmbedFiles.cmake writes the files as string constants into a source in the build tree.
set(EMLAB_WEB_DIR ${PROJECT_SOURCE_DIR}/web)
set(web_lock ${EMLAB_WEB_DIR}/package-lock.json)
set(web_stamp ${CMAKE_CURRENT_BINARY_DIR}/web-modules.stamp)
set(web_generated ${CMAKE_CURRENT_BINARY_DIR}/generated/report_assets_data.cpp)

find_program(EMLAB_NPM npm)
if(NOT EMLAB_NPM AND NOT EXISTS ${EMLAB_WEB_DIR}/node_modules/.emlab-lock-sha256)
  message(FATAL_ERROR "emlab: npm not found; it installs the chart libraries of the HTML reports "
    "(web/package-lock.json). Run scripts/setup.sh (Debian's nodejs and npm).")
endif()

add_custom_target(emlab_web_modules
  COMMAND ${CMAKE_COMMAND} -DNPM=${EMLAB_NPM} -DPACKAGE_DIR=${EMLAB_WEB_DIR} -DSTAMP=${web_stamp}
    -P ${PROJECT_SOURCE_DIR}/cmake/NpmCi.cmake
  BYPRODUCTS ${web_stamp}
  COMMENT "Checking web/node_modules against web/package-lock.json"
  VERBATIM)

set(embedded
  "vega_js=${EMLAB_WEB_DIR}/node_modules/vega/build/vega.min.js"
  "vega_lite_js=${EMLAB_WEB_DIR}/node_modules/vega-lite/build/vega-lite.min.js"
  "vega_embed_js=${EMLAB_WEB_DIR}/node_modules/vega-embed/build/vega-embed.min.js"
  "report_js=${EMLAB_WEB_DIR}/report.js"
  "report_css=${EMLAB_WEB_DIR}/report.css")
list(JOIN embedded "|" embedded_arg)
add_custom_command(OUTPUT ${web_generated}
  COMMAND ${CMAKE_COMMAND} -DOUTPUT=${web_generated} -DHEADER=report/embedded_file.hpp
    -DNAMESPACE=emlab::report::embedded -DFILES=${embedded_arg}
    -P ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
  DEPENDS ${web_stamp} ${EMLAB_WEB_DIR}/report.js ${EMLAB_WEB_DIR}/report.css
    ${PROJECT_SOURCE_DIR}/cmake/EmbedFiles.cmake
  COMMENT "Embedding the report's scripts and styles"
  VERBATIM)
target_sources(emlab_report PRIVATE ${web_generated})
add_dependencies(emlab_report emlab_web_modules)
# A literal of several MB needs no optimisation; -O0 keeps its compile short.
set_source_files_properties(${web_generated} PROPERTIES COMPILE_OPTIONS -O0)

# The versions shown in the page footer, read from the lock; a new lock reconfigures.
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${web_lock})
file(READ ${web_lock} web_lock_text)
foreach(package IN ITEMS vega vega-lite vega-embed)
  string(JSON version GET "${web_lock_text}" packages node_modules/${package} version)
  string(TOUPPER ${package} name)
  string(REPLACE "-" "_" name ${name})
  list(APPEND web_versions EMLAB_${name}_VERSION="${version}")
endforeach()
set_source_files_properties(${CMAKE_CURRENT_SOURCE_DIR}/report/assets.cpp PROPERTIES
  COMPILE_DEFINITIONS "${web_versions}")
