file(REMOVE_RECURSE
  "CMakeFiles/test_key_derive.dir/test_key_derive.c.o"
  "CMakeFiles/test_key_derive.dir/test_key_derive.c.o.d"
  "CMakeFiles/test_key_derive.dir/test_util.c.o"
  "CMakeFiles/test_key_derive.dir/test_util.c.o.d"
  "test_key_derive"
  "test_key_derive.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/test_key_derive.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
