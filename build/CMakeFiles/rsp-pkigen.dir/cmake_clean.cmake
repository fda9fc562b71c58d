file(REMOVE_RECURSE
  "CMakeFiles/rsp-pkigen.dir/src/cli/cli_util.c.o"
  "CMakeFiles/rsp-pkigen.dir/src/cli/cli_util.c.o.d"
  "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_build.c.o"
  "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_build.c.o.d"
  "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_verify.c.o"
  "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_verify.c.o.d"
  "CMakeFiles/rsp-pkigen.dir/src/cli/main.c.o"
  "CMakeFiles/rsp-pkigen.dir/src/cli/main.c.o.d"
  "rsp-pkigen"
  "rsp-pkigen.pdb"
)

# Per-language clean rules from dependency scanning.
foreach(lang C)
  include(CMakeFiles/rsp-pkigen.dir/cmake_clean_${lang}.cmake OPTIONAL)
endforeach()
