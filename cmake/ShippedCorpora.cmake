# The shipped text corpora (src/text/shipped_corpus.hpp): corpora/node_modules comes from
# `npm ci` (cmake/NpmCi.cmake, the same check the chart libraries get) whenever it is missing or
# was installed from another corpora/package-lock.json, so `data.corpus = "shipped:brown"` works on
# a fresh checkout and nothing is downloaded at run time.
set(corpora_stamp ${CMAKE_CURRENT_BINARY_DIR}/corpora-modules.stamp)
add_custom_target(emlab_corpora_modules
  COMMAND ${CMAKE_COMMAND} -DNPM=${EMLAB_NPM} -DPACKAGE_DIR=${PROJECT_SOURCE_DIR}/corpora
    -DSTAMP=${corpora_stamp} -P ${PROJECT_SOURCE_DIR}/cmake/NpmCi.cmake
  BYPRODUCTS ${corpora_stamp}
  COMMENT "Checking corpora/node_modules against corpora/package-lock.json"
  VERBATIM)
add_dependencies(emlab_text emlab_corpora_modules)
