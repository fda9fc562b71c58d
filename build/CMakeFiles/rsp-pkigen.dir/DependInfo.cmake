
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/cli/cli_util.c" "CMakeFiles/rsp-pkigen.dir/src/cli/cli_util.c.o" "gcc" "CMakeFiles/rsp-pkigen.dir/src/cli/cli_util.c.o.d"
  "/work/main/src/cli/cmd_build.c" "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_build.c.o" "gcc" "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_build.c.o.d"
  "/work/main/src/cli/cmd_verify.c" "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_verify.c.o" "gcc" "CMakeFiles/rsp-pkigen.dir/src/cli/cmd_verify.c.o.d"
  "/work/main/src/cli/main.c" "CMakeFiles/rsp-pkigen.dir/src/cli/main.c.o" "gcc" "CMakeFiles/rsp-pkigen.dir/src/cli/main.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  "/work/main/build/CMakeFiles/rspg.dir/DependInfo.cmake"
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
