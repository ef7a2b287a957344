# CodeIndexInject.cmake - index a CMake project without editing it.
# Part of CodeIndex; the user guide is docs/cmake-module.md.

#[=======================================================================[.rst:
CodeIndexInject
---------------

Adds the ``code-index`` target to a project that knows nothing of CodeIndex.
Configure the project with (CMake 3.24 or newer)::

  cmake -S <source> -B <build> -G Ninja \
        -DCMAKE_PROJECT_TOP_LEVEL_INCLUDES=<prefix>/share/CodeIndex/CodeIndexInject.cmake
  cmake --build <build> --target code-index

CMake includes the file right after the first :command:`project` call of the
top-level ``CMakeLists.txt``.  It loads the installed CodeIndex package that
it belongs to (or, in a CodeIndex source tree, the ``CodeIndex.cmake`` module
beside it, which then runs ``CODE_INDEX_EXECUTABLE``), turns on
:variable:`CMAKE_EXPORT_COMPILE_COMMANDS` and checks the generator at once,
and calls ``code_index_add_target()`` at the end of the top-level
``CMakeLists.txt``, with the ``CODE_INDEX_*`` cache variables as options.

If the project calls ``code_index_add_target()`` itself, its own target is
kept and nothing is added.

``CODE_INDEX_INJECT_TARGET``
  The name of the added target, when ``code-index`` is taken.  Default:
  ``code-index``.
#]=======================================================================]

include_guard(GLOBAL)

if(EXISTS "${CMAKE_CURRENT_LIST_DIR}/CodeIndexConfig.cmake")
  # Installed: this file sits beside the package configuration.
  find_package(CodeIndex CONFIG REQUIRED
    PATHS "${CMAKE_CURRENT_LIST_DIR}" NO_DEFAULT_PATH)
else()
  include("${CMAKE_CURRENT_LIST_DIR}/CodeIndex.cmake")
endif()

# Here, in the top-level directory right after project(), this covers every
# target of the project.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

# A wrong generator is reported now rather than at the end.
_code_index_declare_options()
_code_index_check_generator("${CMAKE_GENERATOR}" _code_index_unsupported)
unset(_code_index_unsupported)

function(_code_index_inject_finalize)
  get_property(existing GLOBAL PROPERTY CODE_INDEX_TARGETS)
  if(existing)
    string(REPLACE ";" ", " listed "${existing}")
    message(STATUS
      "code-index: the project calls code_index_add_target() itself "
      "(${listed}); CodeIndexInject adds no target")
    return()
  endif()
  set(name code-index)
  if(CODE_INDEX_INJECT_TARGET)
    set(name "${CODE_INDEX_INJECT_TARGET}")
  endif()
  if(TARGET ${name})
    message(FATAL_ERROR
      "CodeIndexInject: the project already has a target named '${name}'; "
      "choose another name with -DCODE_INDEX_INJECT_TARGET=<name>.")
  endif()
  code_index_add_target(NAME ${name})
  message(STATUS "code-index: added the target ${name} "
    "(cmake --build ${CMAKE_BINARY_DIR} --target ${name})")
endfunction()

cmake_language(DEFER CALL _code_index_inject_finalize)
