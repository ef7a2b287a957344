# CodeIndex.cmake - index a CMake project with code-indexer.
# Part of CodeIndex; the user guide is docs/cmake-module.md.

#[=======================================================================[.rst:
CodeIndex
---------

Adds a build target that indexes the project with ``code-indexer``, the
Clang-based extractor of CodeIndex.  After::

  code_index_add_target()

``cmake --build <build> --target code-index`` writes the index and its JSON
export, ``graph.json``, to ``<build>/code-index/`` and prints a summary line.

The module is loaded by any of::

  find_package(CodeIndex REQUIRED)      # an installed CodeIndex
  add_subdirectory(path/to/CodeIndex)   # or FetchContent_MakeAvailable()
  include(path/to/CodeIndex.cmake)      # the file alone; see CODE_INDEX_EXECUTABLE

A project that does not use the module at all can still be indexed:
configure it with
``-DCMAKE_PROJECT_TOP_LEVEL_INCLUDES=<prefix>/share/CodeIndex/CodeIndexInject.cmake``
(CMake 3.24 or newer; see ``CodeIndexInject.cmake``).

Compile commands
^^^^^^^^^^^^^^^^

``code-indexer`` reads ``compile_commands.json``.  Including the module sets
:variable:`CMAKE_EXPORT_COMPILE_COMMANDS` to ``ON`` in the including directory,
which covers the targets created after it; at the end of the configuration
the module also sets the :prop_tgt:`EXPORT_COMPILE_COMMANDS` property on every
compiled target created before it.  A target whose property the project set
to a false value on purpose keeps it and is not indexed.

Only the Makefile and Ninja generators write ``compile_commands.json``.  With
any other generator (Visual Studio, Xcode, ...) ``code_index_add_target()``
stops the configuration with an error that says so, unless
``CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR`` is ``ON``: then it warns and the
target, when built, fails with the same explanation.

Commands
^^^^^^^^

.. command:: code_index_add_target

  Adds a custom target that runs ``code-indexer extract`` on the project::

    code_index_add_target([NAME <name>]
                          [OUTPUT_DIR <dir>]
                          [DB <engine>|<engine>:<path>|mem]
                          [JSON <file>]
                          [JOBS <n>]
                          [ROOT <dir>]
                          [EXCLUDE <glob>...]
                          [TESTS include|exclude]
                          [DEPENDS <target>...]
                          [EXTRA_ARGS <arg>...])

  ``NAME <name>``
    The name of the target.  Default: ``code-index``.

  ``OUTPUT_DIR <dir>``
    Directory of the index (``<dir>/index``), of ``graph.json`` and of
    ``errors.txt``.  Default: ``CODE_INDEX_OUTPUT_DIR``, else
    ``${CMAKE_BINARY_DIR}/code-index``.

  ``DB <spec>``
    The store: an engine name (``rocksdb`` or ``lmdb``: the index goes to
    ``<OUTPUT_DIR>/index``), a full spec ``rocksdb:<path>`` or
    ``lmdb:<path>``, or ``mem`` (nothing is kept; only the JSON export is
    written).  Default: ``CODE_INDEX_DB``, else the default engine of the
    extractor.

  ``JSON <file>``
    Where the JSON export goes.  Default: ``CODE_INDEX_JSON``, else
    ``<OUTPUT_DIR>/graph.json``.

  ``JOBS <n>``
    Parallel Clang workers.  Default: ``CODE_INDEX_JOBS``, else all hardware
    threads.

  ``ROOT <dir>``
    The project root: paths in the index are relative to it and files outside
    it are treated as third-party code.  Default: ``CODE_INDEX_ROOT``, else
    :variable:`CMAKE_SOURCE_DIR`.

  ``EXCLUDE <glob>...``
    Files not to index, as globs on root-relative paths (``third_party/*``).
    Added to the globs of ``CODE_INDEX_EXCLUDE``.

  ``TESTS include|exclude``
    Whether entities of test files are indexed.  Default:
    ``CODE_INDEX_TESTS``, else ``include``.

  ``DEPENDS <target>...``
    More targets to build before indexing.  The module already waits for the
    targets that generate sources (see below).

  ``EXTRA_ARGS <arg>...``
    More ``code-indexer extract`` options, e.g. ``--strict`` or
    ``--index-system``; added after those of ``CODE_INDEX_EXTRA_ARGS``.

  Relative paths in ``OUTPUT_DIR``, ``DB`` and ``JSON`` are relative to
  :variable:`CMAKE_BINARY_DIR`; ``ROOT`` is relative to
  :variable:`CMAKE_SOURCE_DIR`.

  Generated sources must exist before they are indexed.  At the end of the
  configuration (:command:`cmake_language(DEFER)`) the target is made to
  depend on every target that generates sources: a target with a
  ``GENERATED`` source or header (the output of :command:`add_custom_command`)
  or with ``AUTOMOC``, ``AUTOUIC`` or ``AUTORCC`` on, and every custom target
  that a compiled target depends on (:command:`add_dependencies`).  Such a
  target is built in full.  A custom target that generates files but that no
  compiled target depends on must be named in ``DEPENDS``.  Targets that
  depend on this one through :command:`add_dependencies`, directly or not,
  are left out, to avoid a cycle.

  The target always runs, as custom targets do.  ``code-indexer`` is
  incremental: it re-parses only the translation units whose command or
  files changed, so a second run on an unchanged project costs little more
  than reading the compile database.  In the Ninja generators the target
  runs in the ``console`` pool (``USES_TERMINAL``), so the progress of the
  extractor shows live.  It is not part of ``all``.

  The target has the properties ``CODE_INDEX_JSON``, ``CODE_INDEX_DB``
  (the store spec, empty when the extractor picks its default) and
  ``CODE_INDEX_OUTPUT_DIR``, for other rules to use through
  ``$<TARGET_PROPERTY:code-index,CODE_INDEX_JSON>``.

The extractor
^^^^^^^^^^^^^

The module runs, in this order of preference: the imported target
``CodeIndex::code-indexer`` of an installed package, the target
``code-indexer`` of a CodeIndex source tree added with
:command:`add_subdirectory`, or the program ``CODE_INDEX_EXECUTABLE``
(searched on the ``PATH`` when not set).  When none exists,
``code_index_add_target()`` stops the configuration with an error.

Cache variables
^^^^^^^^^^^^^^^

Defaults for the arguments of ``code_index_add_target()``, for the person who
configures the build (``-D<var>=<value>``); an argument given in the call
takes precedence, except for the lists, which are joined.

``CODE_INDEX_OUTPUT_DIR``, ``CODE_INDEX_DB``, ``CODE_INDEX_JSON``,
``CODE_INDEX_JOBS``, ``CODE_INDEX_ROOT``, ``CODE_INDEX_TESTS``,
``CODE_INDEX_EXCLUDE``, ``CODE_INDEX_EXTRA_ARGS``
  As above.  When CodeIndex itself is a subdirectory of the project,
  ``CODE_INDEX_DB`` is also the default engine compiled into the extractor
  and only takes an engine name there (``rocksdb`` or ``lmdb``).

``CODE_INDEX_EXECUTABLE``
  The ``code-indexer`` program to run when no target provides it.

``CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR``
  ``OFF`` by default; see above.
#]=======================================================================]

if(CMAKE_VERSION VERSION_LESS 3.19)
  message(FATAL_ERROR
    "CodeIndex needs CMake 3.19 or newer (for cmake_language(DEFER)); "
    "this is CMake ${CMAKE_VERSION}.")
endif()

# Targets created from here on in this directory and its subdirectories
# export their compile commands; _code_index_finalize() covers the others.
set(CMAKE_EXPORT_COMPILE_COMMANDS ON)

include_guard(GLOBAL)

cmake_policy(PUSH)
cmake_policy(VERSION 3.19...3.28)

function(_code_index_declare_options)
  # Paths are STRING entries: CMake would make a relative PATH given with -D
  # absolute against the current working directory, not the build tree.
  set(CODE_INDEX_OUTPUT_DIR "" CACHE STRING
    "code-index: output directory (default: <build>/code-index)")
  # The storage library of a CodeIndex source tree declares CODE_INDEX_DB as
  # the extractor's compile-time default engine; this declaration is then a
  # no-op and both uses agree on an engine name.
  set(CODE_INDEX_DB "" CACHE STRING
    "code-index: store, rocksdb|lmdb|mem or ENGINE:PATH (default: the extractor's)")
  set(CODE_INDEX_JSON "" CACHE STRING
    "code-index: JSON export (default: <output dir>/graph.json)")
  set(CODE_INDEX_JOBS "" CACHE STRING
    "code-index: parallel Clang workers (default: all hardware threads)")
  set(CODE_INDEX_ROOT "" CACHE STRING
    "code-index: project root (default: the top-level source directory)")
  set(CODE_INDEX_TESTS "" CACHE STRING
    "code-index: include or exclude entities of test files (default: include)")
  set_property(CACHE CODE_INDEX_TESTS PROPERTY STRINGS "" include exclude)
  set(CODE_INDEX_EXCLUDE "" CACHE STRING
    "code-index: ;-list of globs of files not to index")
  set(CODE_INDEX_EXTRA_ARGS "" CACHE STRING
    "code-index: ;-list of more code-indexer extract options")
  option(CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR
    "code-index: warn instead of failing with a generator that writes no compile_commands.json"
    OFF)
endfunction()

# Stops the configuration (or warns, when allowed) if <generator> does not
# write compile_commands.json. Sets <out_var> to the explanation, or to "".
function(_code_index_check_generator generator out_var)
  set(${out_var} "" PARENT_SCOPE)
  # Makefile generators (Unix, MinGW, MSYS, NMake, JOM, Borland, Watcom
  # WMake) and Ninja generators (Ninja, Ninja Multi-Config).
  if(generator MATCHES "Makefiles|WMake|Ninja")
    return()
  endif()
  set(why
    "the '${generator}' generator does not write compile_commands.json, "
    "which code-indexer reads: CMake writes it with the Makefile and Ninja "
    "generators only.  Configure a separate build directory with one of "
    "them, e.g.\n"
    "  cmake -S ${CMAKE_SOURCE_DIR} -B <dir> -G Ninja\n"
    "and build the code-index target there.")
  string(JOIN "" why ${why})
  if(CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR)
    message(WARNING "code-index: ${why}\n"
      "(CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR is ON: the target is added, "
      "and fails when built.)")
    set(${out_var} "${why}" PARENT_SCOPE)
  else()
    message(FATAL_ERROR "code_index_add_target: ${why}\n"
      "To configure anyway (the target then fails when built), set "
      "CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR=ON.")
  endif()
endfunction()

# Sets <out_command> to what runs the extractor (a target name or a path) and
# <out_engine> to its default engine when known.
function(_code_index_find_extractor out_command out_engine)
  set(command "")
  set(engine "")
  foreach(candidate IN ITEMS CodeIndex::code-indexer code-indexer)
    if(TARGET ${candidate})
      get_property(real TARGET ${candidate} PROPERTY ALIASED_TARGET)
      if(NOT real)
        set(real ${candidate})
      endif()
      get_property(type TARGET ${real} PROPERTY TYPE)
      if(NOT type STREQUAL "EXECUTABLE")
        message(FATAL_ERROR
          "code_index_add_target: the target '${candidate}' is a ${type}, "
          "not the code-indexer executable.")
      endif()
      set(command ${real})
      get_property(engine TARGET ${real} PROPERTY CODE_INDEX_DEFAULT_ENGINE)
      break()
    endif()
  endforeach()
  if(NOT command)
    find_program(CODE_INDEX_EXECUTABLE NAMES code-indexer
      DOC "code-index: the code-indexer program, when no target provides it")
    if(NOT CODE_INDEX_EXECUTABLE)
      message(FATAL_ERROR
        "code_index_add_target: cannot find the code-indexer extractor.  "
        "Provide it in one of these ways:\n"
        "  - install CodeIndex and call find_package(CodeIndex REQUIRED) "
        "(set CMAKE_PREFIX_PATH or CodeIndex_DIR to find it);\n"
        "  - add the CodeIndex source tree with add_subdirectory() or "
        "FetchContent;\n"
        "  - configure with -DCODE_INDEX_EXECUTABLE=/path/to/code-indexer.")
    endif()
    if(NOT EXISTS "${CODE_INDEX_EXECUTABLE}"
        OR IS_DIRECTORY "${CODE_INDEX_EXECUTABLE}")
      message(FATAL_ERROR
        "code_index_add_target: CODE_INDEX_EXECUTABLE is "
        "'${CODE_INDEX_EXECUTABLE}', which is not a file.")
    endif()
    set(command "${CODE_INDEX_EXECUTABLE}")
  endif()
  set(${out_command} "${command}" PARENT_SCOPE)
  set(${out_engine} "${engine}" PARENT_SCOPE)
endfunction()

# Absolute <path>, relative ones taken from <base>.
function(_code_index_absolute out_var path base)
  if(path STREQUAL "")
    set(${out_var} "" PARENT_SCOPE)
    return()
  endif()
  get_filename_component(abs "${path}" ABSOLUTE BASE_DIR "${base}")
  set(${out_var} "${abs}" PARENT_SCOPE)
endfunction()

# Turns the DB value into the --db spec ("" = the extractor's default).
function(_code_index_db_spec out_var db output_dir default_engine extractor)
  if(db STREQUAL "")
    if(output_dir STREQUAL "${CMAKE_BINARY_DIR}/code-index")
      # Where the extractor puts its index when not told: no need to know
      # its engine.
      set(${out_var} "" PARENT_SCOPE)
      return()
    endif()
    if(default_engine STREQUAL "")
      message(FATAL_ERROR
        "code_index_add_target: OUTPUT_DIR is not the default and the "
        "default engine of the extractor '${extractor}' is not known: give "
        "DB rocksdb or DB lmdb (or set CODE_INDEX_DB).")
    endif()
    set(db "${default_engine}")
  endif()
  if(db MATCHES "^(rocksdb|lmdb)$")
    set(spec "${db}:${output_dir}/index")
  elseif(db STREQUAL "mem")
    set(spec "mem")
  elseif(db MATCHES "^(rocksdb|lmdb):(.+)$")
    set(engine "${CMAKE_MATCH_1}")
    _code_index_absolute(path "${CMAKE_MATCH_2}" "${CMAKE_BINARY_DIR}")
    set(spec "${engine}:${path}")
  else()
    message(FATAL_ERROR
      "code_index_add_target: DB '${db}' is not a store: use rocksdb, lmdb, "
      "mem, rocksdb:<path> or lmdb:<path>.")
  endif()
  set(${out_var} "${spec}" PARENT_SCOPE)
endfunction()

function(code_index_add_target)
  cmake_parse_arguments(PARSE_ARGV 0 arg ""
    "NAME;OUTPUT_DIR;DB;JSON;JOBS;ROOT;TESTS"
    "EXCLUDE;DEPENDS;EXTRA_ARGS")
  if(arg_UNPARSED_ARGUMENTS)
    string(REPLACE ";" " " unparsed "${arg_UNPARSED_ARGUMENTS}")
    message(FATAL_ERROR
      "code_index_add_target: unknown argument(s): ${unparsed}.  "
      "It takes NAME, OUTPUT_DIR, DB, JSON, JOBS, ROOT, EXCLUDE, TESTS, "
      "DEPENDS and EXTRA_ARGS.")
  endif()
  foreach(keyword IN LISTS arg_KEYWORDS_MISSING_VALUES)
    if(NOT keyword MATCHES "^(EXCLUDE|DEPENDS|EXTRA_ARGS)$")
      message(FATAL_ERROR
        "code_index_add_target: ${keyword} needs a value.")
    endif()
  endforeach()
  _code_index_declare_options()

  # Scalars: the argument, else the cache variable, else the default.
  foreach(option IN ITEMS OUTPUT_DIR DB JSON JOBS ROOT TESTS)
    if(NOT DEFINED arg_${option} AND NOT "${CODE_INDEX_${option}}" STREQUAL "")
      set(arg_${option} "${CODE_INDEX_${option}}")
    endif()
  endforeach()
  if(NOT DEFINED arg_NAME)
    set(arg_NAME code-index)
  endif()
  if(NOT arg_NAME MATCHES "^[A-Za-z0-9_.+-]+$")
    message(FATAL_ERROR
      "code_index_add_target: NAME '${arg_NAME}' is not a valid target name.")
  endif()
  if(TARGET ${arg_NAME})
    message(FATAL_ERROR
      "code_index_add_target: a target named '${arg_NAME}' already exists; "
      "choose another with NAME <name>.")
  endif()
  if(DEFINED arg_JOBS AND NOT arg_JOBS MATCHES "^[1-9][0-9]*$")
    message(FATAL_ERROR
      "code_index_add_target: JOBS must be a positive number, not "
      "'${arg_JOBS}'.")
  endif()
  if(DEFINED arg_TESTS AND NOT arg_TESTS MATCHES "^(include|exclude)$")
    message(FATAL_ERROR
      "code_index_add_target: TESTS must be include or exclude, not "
      "'${arg_TESTS}'.")
  endif()

  _code_index_check_generator("${CMAKE_GENERATOR}" unsupported)
  if(unsupported)
    # Allowed by CODE_INDEX_ALLOW_UNSUPPORTED_GENERATOR: a target that
    # explains, and no search for an extractor this build cannot use.
    string(REPLACE "\n" " " unsupported "${unsupported}")
    add_custom_target(${arg_NAME}
      COMMAND "${CMAKE_COMMAND}" -E echo "code-index: ${unsupported}"
      COMMAND "${CMAKE_COMMAND}" -E false
      VERBATIM)
    set_property(GLOBAL APPEND PROPERTY CODE_INDEX_TARGETS ${arg_NAME})
    return()
  endif()
  _code_index_find_extractor(extractor default_engine)

  if(NOT DEFINED arg_OUTPUT_DIR)
    set(arg_OUTPUT_DIR "${CMAKE_BINARY_DIR}/code-index")
  endif()
  _code_index_absolute(output_dir "${arg_OUTPUT_DIR}" "${CMAKE_BINARY_DIR}")
  if(NOT DEFINED arg_DB)
    set(arg_DB "")
  endif()
  _code_index_db_spec(db "${arg_DB}" "${output_dir}" "${default_engine}"
    "${extractor}")
  if(NOT DEFINED arg_JSON)
    set(arg_JSON "${output_dir}/graph.json")
  endif()
  _code_index_absolute(json "${arg_JSON}" "${CMAKE_BINARY_DIR}")
  if(NOT DEFINED arg_ROOT)
    set(arg_ROOT "${CMAKE_SOURCE_DIR}")
  endif()
  _code_index_absolute(root "${arg_ROOT}" "${CMAKE_SOURCE_DIR}")
  if(NOT IS_DIRECTORY "${root}")
    message(FATAL_ERROR
      "code_index_add_target: ROOT '${root}' is not a directory.")
  endif()

  set(args extract -p "${CMAKE_BINARY_DIR}" "--root=${root}" "--json=${json}")
  if(db)
    list(APPEND args "--db=${db}")
  endif()
  if(DEFINED arg_JOBS)
    list(APPEND args "--jobs=${arg_JOBS}")
  endif()
  if(DEFINED arg_TESTS)
    list(APPEND args "--tests=${arg_TESTS}")
  endif()
  foreach(glob IN LISTS CODE_INDEX_EXCLUDE arg_EXCLUDE)
    list(APPEND args "--exclude=${glob}")
  endforeach()
  list(APPEND args ${CODE_INDEX_EXTRA_ARGS} ${arg_EXTRA_ARGS})

  get_filename_component(json_dir "${json}" DIRECTORY)
  add_custom_target(${arg_NAME}
    COMMAND "${CMAKE_COMMAND}" -E make_directory "${output_dir}" "${json_dir}"
    COMMAND ${extractor} ${args}
    WORKING_DIRECTORY "${CMAKE_BINARY_DIR}"
    BYPRODUCTS "${json}"
    COMMENT "Indexing ${CMAKE_PROJECT_NAME} with code-indexer"
    USES_TERMINAL
    VERBATIM)
  set_target_properties(${arg_NAME} PROPERTIES
    CODE_INDEX_JSON "${json}"
    CODE_INDEX_DB "${db}"
    CODE_INDEX_OUTPUT_DIR "${output_dir}"
    _CODE_INDEX_DEPENDS "${arg_DEPENDS}")
  set_property(GLOBAL APPEND PROPERTY CODE_INDEX_TARGETS ${arg_NAME})

  # Targets created after this call in the caller's directory export their
  # compile commands too.
  set(CMAKE_EXPORT_COMPILE_COMMANDS ON PARENT_SCOPE)

  # The arguments of a deferred call are evaluated when it runs: EVAL CODE
  # fixes the name now.
  cmake_language(EVAL CODE
    "cmake_language(DEFER DIRECTORY [[${CMAKE_SOURCE_DIR}]] CALL _code_index_finalize [[${arg_NAME}]])")
endfunction()

# Sets <out_var> to the build-system targets of the whole project.
function(_code_index_collect_targets out_var)
  set(found "")
  set(dirs "${CMAKE_SOURCE_DIR}")
  while(dirs)
    list(POP_FRONT dirs dir)
    get_property(targets DIRECTORY "${dir}" PROPERTY BUILDSYSTEM_TARGETS)
    get_property(subdirs DIRECTORY "${dir}" PROPERTY SUBDIRECTORIES)
    list(APPEND found ${targets})
    list(APPEND dirs ${subdirs})
  endwhile()
  set(${out_var} "${found}" PARENT_SCOPE)
endfunction()

# Sets <out_var> to TRUE if a source or header of <target> is GENERATED.
function(_code_index_has_generated_sources out_var target)
  set(${out_var} FALSE PARENT_SCOPE)
  get_property(files TARGET ${target} PROPERTY SOURCES)
  if(NOT CMAKE_VERSION VERSION_LESS 3.23)
    get_property(sets TARGET ${target} PROPERTY HEADER_SETS)
    get_property(interface_sets TARGET ${target} PROPERTY INTERFACE_HEADER_SETS)
    list(APPEND sets ${interface_sets})
    list(REMOVE_DUPLICATES sets)
    foreach(set_name IN LISTS sets)
      get_property(set_files TARGET ${target} PROPERTY HEADER_SET_${set_name})
      list(APPEND files ${set_files})
    endforeach()
  endif()
  get_property(source_dir TARGET ${target} PROPERTY SOURCE_DIR)
  get_property(binary_dir TARGET ${target} PROPERTY BINARY_DIR)
  foreach(file IN LISTS files)
    if(file MATCHES "\\$<")
      continue() # a generator expression: not known before generation
    endif()
    get_filename_component(name "${file}" NAME)
    if(NOT name MATCHES "\\.")
      # No extension: CMake resolves the name late; looking it up here could
      # bind it to the wrong file.
      continue()
    endif()
    # Look the file up by the full path CMake itself would resolve it to (a
    # relative name is in the source directory if it exists there, else in
    # the binary directory), so the lookup cannot change that resolution.
    if(IS_ABSOLUTE "${file}")
      set(path "${file}")
    elseif(EXISTS "${source_dir}/${file}")
      set(path "${source_dir}/${file}")
    else()
      set(path "${binary_dir}/${file}")
    endif()
    get_source_file_property(generated "${path}"
      TARGET_DIRECTORY ${target} GENERATED)
    if(generated)
      set(${out_var} TRUE PARENT_SCOPE)
      return()
    endif()
  endforeach()
endfunction()

# Runs at the end of the top-level directory, when every target exists.
function(_code_index_finalize name)
  get_property(ours GLOBAL PROPERTY CODE_INDEX_TARGETS)
  _code_index_collect_targets(targets)
  # The target types whose compile commands the extractor reads. (A local:
  # this runs in the top-level directory, which may not see the variables of
  # the directory that included the module.)
  set(compiled_types
    EXECUTABLE STATIC_LIBRARY SHARED_LIBRARY MODULE_LIBRARY OBJECT_LIBRARY)

  # Targets that wait for the index (add_dependencies(), directly or not):
  # waiting for them would be a cycle.
  set(dependents ${name})
  set(grown TRUE)
  while(grown)
    set(grown FALSE)
    foreach(target IN LISTS targets)
      if(NOT target IN_LIST dependents)
        get_property(manual TARGET ${target} PROPERTY MANUALLY_ADDED_DEPENDENCIES)
        foreach(dependency IN LISTS manual)
          if(dependency IN_LIST dependents)
            list(APPEND dependents ${target})
            set(grown TRUE)
            break()
          endif()
        endforeach()
      endif()
    endforeach()
  endwhile()

  set(generators "")
  set(opted_out "")
  foreach(target IN LISTS targets)
    if(target IN_LIST ours)
      continue()
    endif()
    get_property(type TARGET ${target} PROPERTY TYPE)
    get_property(manual TARGET ${target} PROPERTY MANUALLY_ADDED_DEPENDENCIES)
    if(type IN_LIST compiled_types)
      get_property(export TARGET ${target} PROPERTY EXPORT_COMPILE_COMMANDS)
      if("${export}" STREQUAL "")
        set_property(TARGET ${target} PROPERTY EXPORT_COMPILE_COMMANDS ON)
      elseif(NOT export)
        list(APPEND opted_out ${target})
      endif()
    endif()
    if(target IN_LIST dependents)
      continue()
    endif()
    if(type IN_LIST compiled_types)
      # Custom targets that a compiled target waits for generate its inputs.
      foreach(dependency IN LISTS manual)
        if(TARGET ${dependency} AND NOT dependency IN_LIST ours
            AND NOT dependency IN_LIST dependents)
          get_property(dependency_type TARGET ${dependency} PROPERTY TYPE)
          if(dependency_type STREQUAL "UTILITY")
            list(APPEND generators ${dependency})
          endif()
        endif()
      endforeach()
      get_property(automoc TARGET ${target} PROPERTY AUTOMOC)
      get_property(autouic TARGET ${target} PROPERTY AUTOUIC)
      get_property(autorcc TARGET ${target} PROPERTY AUTORCC)
      if(automoc OR autouic OR autorcc)
        list(APPEND generators ${target})
        continue()
      endif()
    elseif(NOT type MATCHES "^(UTILITY|INTERFACE_LIBRARY)$")
      continue()
    endif()
    _code_index_has_generated_sources(generated ${target})
    if(generated)
      list(APPEND generators ${target})
    endif()
  endforeach()
  list(REMOVE_DUPLICATES generators)

  get_property(wanted TARGET ${name} PROPERTY _CODE_INDEX_DEPENDS)
  set(depends "")
  foreach(dependency IN LISTS wanted)
    if(NOT TARGET ${dependency})
      message(FATAL_ERROR
        "code_index_add_target(NAME ${name}): DEPENDS names '${dependency}', "
        "which is not a target of this project.")
    endif()
    get_property(real TARGET ${dependency} PROPERTY ALIASED_TARGET)
    if(real)
      set(dependency ${real})
    endif()
    list(APPEND depends ${dependency})
  endforeach()
  if(generators OR depends)
    add_dependencies(${name} ${generators} ${depends})
  endif()

  list(LENGTH generators count)
  if(count GREATER 0)
    string(REPLACE ";" ", " listed "${generators}")
    message(STATUS
      "code-index: ${name} builds first the ${count} target(s) that "
      "generate sources: ${listed}")
  endif()
  if(opted_out)
    string(REPLACE ";" ", " listed "${opted_out}")
    message(STATUS
      "code-index: ${name} skips targets whose EXPORT_COMPILE_COMMANDS is "
      "off: ${listed}")
  endif()
endfunction()

cmake_policy(POP)
