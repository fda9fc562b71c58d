# RspgPackage.cmake: what a program needs to use the installed librspg: the pkg-config file
# rspg.pc (relocatable: its prefix is found from its own folder) and the CMake package
# (rspgConfig.cmake, rspgConfigVersion.cmake, rspgTargets.cmake: find_package(rspg) gives
# rspg::rspg). A static librspg lists its own dependencies (yaml-0.1, jansson, threads) as
# needed at link time; a shared one keeps them private.
include(CMakePackageConfigHelpers)
set(RSPG_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/rspg)

if(BUILD_SHARED_LIBS)
  set(RSPG_PC_REQUIRES "libcrypto >= 3.0")
  set(RSPG_PC_REQUIRES_PRIVATE "yaml-0.1 jansson libcurl libssl")
  set(RSPG_PC_LIBS "-lrspg")
  set(RSPG_PC_LIBS_PRIVATE "-pthread")
else()
  set(RSPG_PC_REQUIRES "libcrypto >= 3.0 yaml-0.1 jansson libcurl libssl")
  set(RSPG_PC_REQUIRES_PRIVATE "")
  set(RSPG_PC_LIBS "-lrspg -pthread")
  set(RSPG_PC_LIBS_PRIVATE "")
endif()
if(RSPG_SANITIZE)
  string(APPEND RSPG_PC_LIBS " -fsanitize=address,undefined")
endif()
# the path from the .pc file's folder (LIBDIR/pkgconfig) back to the prefix
file(RELATIVE_PATH RSPG_PC_TO_PREFIX "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
string(REGEX REPLACE "/$" "" RSPG_PC_TO_PREFIX "${RSPG_PC_TO_PREFIX}")
configure_file(${PROJECT_SOURCE_DIR}/cmake/rspg.pc.in ${PROJECT_BINARY_DIR}/rspg.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/rspg.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

install(EXPORT rspgTargets NAMESPACE rspg:: DESTINATION ${RSPG_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/rspgConfig.cmake.in
  ${PROJECT_BINARY_DIR}/rspgConfig.cmake INSTALL_DESTINATION ${RSPG_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/rspgConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${PROJECT_BINARY_DIR}/rspgConfig.cmake ${PROJECT_BINARY_DIR}/rspgConfigVersion.cmake
  DESTINATION ${RSPG_CMAKE_DIR})
