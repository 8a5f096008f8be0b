# Writes version.hpp with the current git revision; configure_file leaves the file untouched when
# nothing changed, so this runs every build without forcing a rebuild.
execute_process(COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12
                OUTPUT_VARIABLE INFERSIM_GIT_REVISION OUTPUT_STRIP_TRAILING_WHITESPACE
                ERROR_QUIET RESULT_VARIABLE git_result)
if(NOT git_result EQUAL 0 OR INFERSIM_GIT_REVISION STREQUAL "")
  set(INFERSIM_GIT_REVISION "unknown")
endif()
configure_file("${INPUT}" "${OUTPUT}" @ONLY)
