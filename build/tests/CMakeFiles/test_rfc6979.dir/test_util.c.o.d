tests/CMakeFiles/test_rfc6979.dir/test_util.c.o: \
 /work/main/tests/test_util.c /usr/include/stdc-predef.h \
 /work/main/tests/test_util.h
