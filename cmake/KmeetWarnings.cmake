# kmeet_set_warnings(target): the project's warning level, -Werror when KMEET_WERROR is on.
function(kmeet_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic
    # Designated initialisers that leave members at their defaults are the intended style.
    -Wno-missing-field-initializers)
  if(KMEET_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
