# Included from tests/CMakeLists.txt: every fuzz target built with the normal compiler
# and a plain main (replay.c) that runs it over its seed corpus tests/fuzz/corpus/TARGET,
# so the corpora (and the crash inputs added to them) are regression tests of every build,
# including the ASan + UBSan one. libFuzzer itself is only needed for fuzzing (RSPG_FUZZ).
set(RSPG_FUZZ_REPLAY profile x509 key cvc bp256 compose mint_resume)
foreach(t ${RSPG_FUZZ_REPLAY})
  add_executable(fuzz_${t}_replay ${CMAKE_CURRENT_LIST_DIR}/fuzz_${t}.c ${CMAKE_CURRENT_LIST_DIR}/replay.c)
  target_link_libraries(fuzz_${t}_replay PRIVATE rspg)
  rspg_target_warnings(fuzz_${t}_replay)
  add_test(NAME fuzz.replay.${t} COMMAND fuzz_${t}_replay ${CMAKE_CURRENT_LIST_DIR}/corpus/${t})
endforeach()
target_link_options(fuzz_profile_replay PRIVATE -Wl,--wrap=rspg_read_file)
target_link_options(fuzz_compose_replay PRIVATE -Wl,--wrap=rspg_read_file)
