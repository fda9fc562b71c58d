# CMake generated Testfile for 
# Source directory: /work/main/tests
# Build directory: /work/main/build/tests
# 
# This file includes the relevant testing commands required for 
# testing this directory and lists subdirectories to be tested as well.
add_test(unit.der "/work/main/build/tests/test_der")
set_tests_properties(unit.der PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.eid "/work/main/build/tests/test_eid")
set_tests_properties(unit.eid PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.curve "/work/main/build/tests/test_curve")
set_tests_properties(unit.curve PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.key "/work/main/build/tests/test_key")
set_tests_properties(unit.key PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.rfc6979 "/work/main/build/tests/test_rfc6979")
set_tests_properties(unit.rfc6979 PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.key_derive "/work/main/build/tests/test_key_derive")
set_tests_properties(unit.key_derive PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.sign "/work/main/build/tests/test_sign")
set_tests_properties(unit.sign PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.profile "/work/main/build/tests/test_profile")
set_tests_properties(unit.profile PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.build "/work/main/build/tests/test_build")
set_tests_properties(unit.build PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.output "/work/main/build/tests/test_output")
set_tests_properties(unit.output PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.manifest "/work/main/build/tests/test_manifest")
set_tests_properties(unit.manifest PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.golden "/work/main/build/tests/test_golden")
set_tests_properties(unit.golden PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
add_test(unit.reproduce "/work/main/build/tests/test_reproduce")
set_tests_properties(unit.reproduce PROPERTIES  ENVIRONMENT "CMOCKA_MESSAGE_OUTPUT=STDOUT" _BACKTRACE_TRIPLES "/work/main/tests/CMakeLists.txt;17;add_test;/work/main/tests/CMakeLists.txt;0;")
