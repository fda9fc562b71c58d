# rspg_target_warnings(<target>): the project's warning set, errors unless RSPG_WERROR=OFF,
# plus the sanitizers when RSPG_SANITIZE=ON.
function(rspg_target_warnings tgt)
  target_compile_options(${tgt} PRIVATE -Wall -Wextra -Wshadow -Wvla -Wformat=2
    -Wstrict-prototypes -Wmissing-prototypes -Wno-missing-field-initializers)
  if(RSPG_WERROR)
    target_compile_options(${tgt} PRIVATE -Werror)
  endif()
  if(RSPG_SANITIZE)
    target_compile_options(${tgt} PRIVATE -fsanitize=address,undefined -fno-omit-frame-pointer
      -fno-sanitize-recover=undefined)
    target_link_options(${tgt} PRIVATE -fsanitize=address,undefined)
  endif()
endfunction()
