# libFuzzer targets (hardening), built when INFERSIM_FUZZ is ON, with clang only (`make fuzz` configures
# a separate build directory with clang-14; the runtime is Debian's libclang-rt-14-dev). The libraries
# the targets exercise get coverage instrumentation and ASan + UBSan; yaml-cpp, a system library,
# gets neither (its stack overflows are still caught by ASan).
if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  message(FATAL_ERROR "INFERSIM_FUZZ needs clang (e.g. CC=clang-14 CXX=clang++-14); this is ${CMAKE_CXX_COMPILER_ID}")
endif()

set(INFERSIM_FUZZ_SANITIZERS -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer -g)
foreach(library infersim_core infersim_validation infersim_serving infersim_io)
  target_compile_options(${library} PRIVATE -fsanitize=fuzzer-no-link ${INFERSIM_FUZZ_SANITIZERS})
endforeach()

# infersim_add_fuzzer(NAME SOURCE): one libFuzzer executable linked against infersim_io.
function(infersim_add_fuzzer name source)
  add_executable(${name} ${source})
  target_link_libraries(${name} PRIVATE infersim_io)
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer ${INFERSIM_FUZZ_SANITIZERS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer ${INFERSIM_FUZZ_SANITIZERS})
  # The targets that read shipped data beside their input (the published mapping, its small fixture).
  target_compile_definitions(${name} PRIVATE INFERSIM_SOURCE_DIR="${CMAKE_SOURCE_DIR}")
endfunction()

infersim_add_fuzzer(fuzz_model_loader tests/fuzz/fuzz_model_loader.cpp)
infersim_add_fuzzer(fuzz_hardware_loader tests/fuzz/fuzz_hardware_loader.cpp)
infersim_add_fuzzer(fuzz_runtime_loader tests/fuzz/fuzz_runtime_loader.cpp)
infersim_add_fuzzer(fuzz_sweep_spec tests/fuzz/fuzz_sweep_spec.cpp)
infersim_add_fuzzer(fuzz_hf_import tests/fuzz/fuzz_hf_import.cpp)
infersim_add_fuzzer(fuzz_trace_csv tests/fuzz/fuzz_trace_csv.cpp)
infersim_add_fuzzer(fuzz_measured_csv tests/fuzz/fuzz_measured_csv.cpp)
infersim_add_fuzzer(fuzz_published_csv tests/fuzz/fuzz_published_csv.cpp)
infersim_add_fuzzer(fuzz_published_mapping tests/fuzz/fuzz_published_mapping.cpp)
