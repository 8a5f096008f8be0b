cmake_minimum_required(VERSION 3.25)
# ctest -P script: `infersim-ref-cuda --check` must either find no CUDA device and say so in one line
# with exit 2 (a machine without a GPU or driver), or find one and pass every kernel check (exit 0).
# Usage: cmake -DRUNNER=path/to/infersim-ref-cuda -P check_or_no_device.cmake
execute_process(COMMAND "${RUNNER}" --check RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err
                TIMEOUT 600)
if(rc EQUAL 2 AND out STREQUAL "" AND err MATCHES "^infersim-ref-cuda: error: no CUDA device [^\n]+\n$")
  message(STATUS "no CUDA device, exit 2 as expected: ${err}")
elseif(rc EQUAL 0 AND out MATCHES "infersim-ref-cuda: all [0-9]+ checks passed" AND NOT out MATCHES "FAILED")
  message(STATUS "${out}")
else()
  message(FATAL_ERROR "infersim-ref-cuda --check: unexpected exit ${rc}\nstdout:\n${out}\nstderr:\n${err}")
endif()
