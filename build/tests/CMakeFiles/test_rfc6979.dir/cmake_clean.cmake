file(REMOVE_RECURSE
  "CMakeFiles/test_rfc6979.dir/test_rfc6979.c.o"
  "CMakeFiles/test_rfc6979.dir/test_rfc6979.c.o.d"
  "CMakeFiles/test_rfc6979.dir/test_util.c.o"
  "CMakeFiles/test_rfc6979.dir/test_util.c.o.d"
  "test_rfc6979"
  "test_rfc6979.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_rfc6979.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
