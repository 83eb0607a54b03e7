# One interface target carrying the project's warning flags (linked with BUILD_INTERFACE).
add_library(gp_warnings INTERFACE)
target_compile_options(gp_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast -Wcast-align
  -Wunused -Woverloaded-virtual -Wdouble-promotion -Wformat=2
  -Wimplicit-fallthrough)
if(GP_WERROR)
  target_compile_options(gp_warnings INTERFACE -Werror)
endif()

# Reproducible floating point: no fused multiply-add contraction (results identical
# across builds and optimisation levels).
add_library(gp_fp INTERFACE)
target_compile_options(gp_fp INTERFACE -ffp-contract=off)

# gp_component(<name> [DEPS ...] [PRIVATE_DEPS ...]): a library from <name>/src/*.cpp with
# public headers in <name>/include, aliased gp::<name>.
function(gp_component name)
  cmake_parse_arguments(ARG "" "" "DEPS;PRIVATE_DEPS" ${ARGN})
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/src/*.cpp)
  add_library(gp_${name} STATIC ${sources})
  add_library(gp::${name} ALIAS gp_${name})
  target_include_directories(gp_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include
                                        PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/src)
  target_compile_features(gp_${name} PUBLIC cxx_std_20)
  target_link_libraries(gp_${name} PUBLIC ${ARG_DEPS}
                        PRIVATE ${ARG_PRIVATE_DEPS} $<BUILD_INTERFACE:gp_warnings> gp_fp)
endfunction()
