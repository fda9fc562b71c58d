
# Consider dependencies only in project.
set(CMAKE_DEPENDS_IN_PROJECT_ONLY OFF)

# The set of languages for which implicit dependencies are needed:
set(CMAKE_DEPENDS_LANGUAGES
  )

# The set of dependency files which are needed:
set(CMAKE_DEPENDS_DEPENDENCY_FILES
  "/work/main/src/lib/buf.c" "CMakeFiles/rspg.dir/src/lib/buf.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/buf.c.o.d"
  "/work/main/src/lib/build.c" "CMakeFiles/rspg.dir/src/lib/build.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/build.c.o.d"
  "/work/main/src/lib/cert.c" "CMakeFiles/rspg.dir/src/lib/cert.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/cert.c.o.d"
  "/work/main/src/lib/crl.c" "CMakeFiles/rspg.dir/src/lib/crl.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/crl.c.o.d"
  "/work/main/src/lib/curve.c" "CMakeFiles/rspg.dir/src/lib/curve.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/curve.c.o.d"
  "/work/main/src/lib/der.c" "CMakeFiles/rspg.dir/src/lib/der.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/der.c.o.d"
  "/work/main/src/lib/diag.c" "CMakeFiles/rspg.dir/src/lib/diag.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/diag.c.o.d"
  "/work/main/src/lib/eid.c" "CMakeFiles/rspg.dir/src/lib/eid.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/eid.c.o.d"
  "/work/main/src/lib/extension.c" "CMakeFiles/rspg.dir/src/lib/extension.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/extension.c.o.d"
  "/work/main/src/lib/key.c" "CMakeFiles/rspg.dir/src/lib/key.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/key.c.o.d"
  "/work/main/src/lib/key_derive.c" "CMakeFiles/rspg.dir/src/lib/key_derive.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/key_derive.c.o.d"
  "/work/main/src/lib/manifest.c" "CMakeFiles/rspg.dir/src/lib/manifest.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/manifest.c.o.d"
  "/work/main/src/lib/output.c" "CMakeFiles/rspg.dir/src/lib/output.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/output.c.o.d"
  "/work/main/src/lib/pem.c" "CMakeFiles/rspg.dir/src/lib/pem.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/pem.c.o.d"
  "/work/main/src/lib/profile.c" "CMakeFiles/rspg.dir/src/lib/profile.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/profile.c.o.d"
  "/work/main/src/lib/profile_yaml.c" "CMakeFiles/rspg.dir/src/lib/profile_yaml.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/profile_yaml.c.o.d"
  "/work/main/src/lib/rfc6979.c" "CMakeFiles/rspg.dir/src/lib/rfc6979.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/rfc6979.c.o.d"
  "/work/main/src/lib/rules.c" "CMakeFiles/rspg.dir/src/lib/rules.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/rules.c.o.d"
  "/work/main/src/lib/sign.c" "CMakeFiles/rspg.dir/src/lib/sign.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/sign.c.o.d"
  "/work/main/src/lib/verify.c" "CMakeFiles/rspg.dir/src/lib/verify.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/verify.c.o.d"
  "/work/main/src/lib/x509.c" "CMakeFiles/rspg.dir/src/lib/x509.c.o" "gcc" "CMakeFiles/rspg.dir/src/lib/x509.c.o.d"
  )

# Targets to which this target links.
set(CMAKE_TARGET_LINKED_INFO_FILES
  )

# Fortran module output directory.
set(CMAKE_Fortran_TARGET_MODULE_DIR "")
