cmake_minimum_required(VERSION 3.25)  # IN_LIST, list(POP_FRONT)
# ctest -P script: `infersim-ref-cuda --list-cases --quick` needs no GPU; its rows, given a stand-in
# time, must be a measured CSV that `infersim validate --measured FILE -g h100-sxm` predicts row by row.
# Usage: cmake -DRUNNER=... -DINFERSIM=... -DWORK_DIR=... -P list_cases_validate.cmake
execute_process(COMMAND "${RUNNER}" --list-cases --quick RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "--list-cases: exit ${rc}: ${err}")
endif()
string(REPLACE ";" "|" out "${out}")  # the shapes' separators would split the CMake list
string(REGEX REPLACE "\n$" "" out "${out}")
string(REPLACE "\n" ";" lines "${out}")
list(POP_FRONT lines header)
if(NOT header STREQUAL "case,family,dtype,shape,flops,bytes,cold")
  message(FATAL_ERROR "--list-cases header: '${header}'")
endif()
list(LENGTH lines cases)
if(NOT cases EQUAL 16)
  message(FATAL_ERROR "--list-cases --quick: ${cases} cases, expected 16")
endif()
# GQA decode, batch 32, 32/8 heads, dh 128, t 4096, bf16 (ref/base/work_counts.hpp): pairs 32 * 4096 = 131072,
# each 2 * (2 * 32 * 128) + 5 * 32 = 16544 FLOPs -> 2168455168; bytes (2*32*32*128 + 2*32*8*4096*128) * 2
# = 537395200; decode reads its cache cold.
set(expected "decode_gqa_t4096,attention_decode,bf16,batch=32|heads=32|kv_heads=8|head_dim=128|context=4096,2168455168,537395200,yes")
if(NOT expected IN_LIST lines)
  message(FATAL_ERROR "--list-cases --quick lacks the row\n${expected}\ngot:\n${out}")
endif()

set(csv "case,family,device,dtype,shape,flops,bytes,measured_s,repeats,spread\n")
foreach(line IN LISTS lines)
  string(REPLACE "," ";" f "${line}")
  list(GET f 0 name)
  list(GET f 1 family)
  list(GET f 2 dtype)
  list(GET f 3 shape)
  list(GET f 4 flops)
  list(GET f 5 bytes)
  string(APPEND csv "${name},${family},test-gpu,${dtype},${shape},${flops},${bytes},0.001,1,0\n")
endforeach()
string(REPLACE "|" ";" csv "${csv}")
file(MAKE_DIRECTORY "${WORK_DIR}")
file(WRITE "${WORK_DIR}/listed.csv" "${csv}")
file(REMOVE "${WORK_DIR}/validated.csv")
execute_process(COMMAND "${INFERSIM}" validate --measured "${WORK_DIR}/listed.csv" -g h100-sxm
                        -o "${WORK_DIR}/validated.csv"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(NOT (rc EQUAL 0 OR rc EQUAL 3))  # 3: over the error threshold, expected with stand-in times
  message(FATAL_ERROR "infersim validate --measured: exit ${rc}\n${out}\n${err}")
endif()
file(READ "${WORK_DIR}/validated.csv" text)
string(REGEX MATCHALL "\n" newlines "${text}")
list(LENGTH newlines n)
string(REGEX MATCHALL "\ndecode_gqa_t4096,attention_decode,test-gpu,bf16,[^\n]*,2168455168,537395200,0.001,1,0,[0-9.e+-]+,[0-9.e+-]+" row "${text}")
if(NOT n EQUAL 17 OR row STREQUAL "")
  message(FATAL_ERROR "validate wrote ${n} lines, expected a header and 16 rows with predicted_s, rel_error:\n${text}")
endif()
message(STATUS "validate predicted all 16 listed cases (exit ${rc})")
