# Fetches Debian packages by name into the build tree and unpacks them there.
#
# apt-get runs with a private source list, state and cache directory under the
# build tree, so the machine's own apt configuration is never read or changed.

include_guard(GLOBAL)

function(_pki_run)
  execute_process(COMMAND ${ARGN}
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    string(REPLACE ";" " " cmd "${ARGN}")
    message(FATAL_ERROR "pki: '${cmd}' failed (${rc}):\n${out}\n${err}")
  endif()
  set(_pki_out "${out}" PARENT_SCOPE)
endfunction()

# True when this machine can fetch Debian packages by name.
function(pki_debian_fetch_possible out_var)
  find_program(PKI_APT_GET apt-get)
  find_program(PKI_APT_CACHE apt-cache)
  find_program(PKI_DPKG dpkg)
  if(EXISTS /etc/debian_version AND PKI_APT_GET AND PKI_APT_CACHE AND PKI_DPKG
     AND EXISTS "${PKI_DEBIAN_KEYRING}")
    set(${out_var} TRUE PARENT_SCOPE)
  else()
    set(${out_var} FALSE PARENT_SCOPE)
  endif()
endfunction()

function(_pki_host_suite out_var)
  file(STRINGS /etc/os-release codename_line REGEX "^VERSION_CODENAME=")
  string(REGEX REPLACE "^VERSION_CODENAME=\"?([a-z]+)\"?$" "\\1" codename "${codename_line}")
  if(codename STREQUAL "")
    message(FATAL_ERROR "pki: cannot read VERSION_CODENAME from /etc/os-release")
  endif()
  set(${out_var} "${codename}" PARENT_SCOPE)
endfunction()

# Prepares the private apt state (once per build tree) and sets the apt options.
# It always lists the machine's own release and the one mbedTLS comes from.
function(_pki_apt_prepare)
  _pki_host_suite(host_suite)
  set(suites "${host_suite}")
  if(NOT PKI_DEBIAN_MBEDTLS_SUITE STREQUAL host_suite)
    list(APPEND suites "${PKI_DEBIAN_MBEDTLS_SUITE}")
  endif()
  set(state "${PROJECT_BINARY_DIR}/_deps/debian")
  set(sources "${state}/sources.list")
  set(content "")
  foreach(suite IN LISTS suites)
    string(APPEND content
      "deb [signed-by=${PKI_DEBIAN_KEYRING}] ${PKI_DEBIAN_MIRROR} ${suite} main\n")
  endforeach()
  # Source packages only where a build asks for one (pki_fetch_debian_source): their index
  # is larger than the binary one.
  get_property(source_suites GLOBAL PROPERTY _PKI_DEBIAN_SOURCE_SUITES)
  foreach(suite IN LISTS source_suites)
    string(APPEND content
      "deb-src [signed-by=${PKI_DEBIAN_KEYRING}] ${PKI_DEBIAN_MIRROR} ${suite} main\n")
  endforeach()
  set(opts
    -o "Dir::Etc::sourcelist=${sources}" -o "Dir::Etc::sourceparts=-"
    -o "Dir::State::Lists=${state}/lists" -o "Dir::Cache=${state}/cache"
    -o "Dir::State::status=${state}/status" -o "APT::Sandbox::User=root"
    -o "Debug::NoLocking=1" -o "APT::Get::List-Cleanup=0")
  set(stamp "${state}/update.stamp")
  set(old "")
  if(EXISTS "${sources}")
    file(READ "${sources}" old)
  endif()
  if(NOT EXISTS "${stamp}" OR NOT old STREQUAL content)
    file(MAKE_DIRECTORY "${state}/lists/partial" "${state}/cache/archives/partial")
    file(WRITE "${sources}" "${content}")
    file(TOUCH "${state}/status")
    message(STATUS "pki: reading Debian package lists for: ${suites}")
    _pki_run(${PKI_APT_GET} ${opts} -qq update)
    file(TOUCH "${stamp}")
  endif()
  set(_pki_apt_opts "${opts}" PARENT_SCOPE)
  set(_pki_apt_state "${state}" PARENT_SCOPE)
endfunction()

# pki_fetch_debian(<out_root_var> NAME <name> SUITE <suite> PACKAGES <pkg>...)
# Downloads the named packages from <suite> and unpacks them into one root,
# <build>/_deps/<name>-root; a stamp keeps reconfigures from fetching again.
function(pki_fetch_debian out_root)
  cmake_parse_arguments(arg "" "SUITE;NAME" "PACKAGES" ${ARGN})
  set(root "${PROJECT_BINARY_DIR}/_deps/${arg_NAME}-root")
  set(stamp "${root}.stamp")
  string(JOIN " " wanted ${arg_PACKAGES})
  if(EXISTS "${stamp}")
    file(READ "${stamp}" have)
    if(have STREQUAL wanted)
      set(${out_root} "${root}" PARENT_SCOPE)
      return()
    endif()
  endif()

  _pki_apt_prepare()

  set(debs "${_pki_apt_state}/debs/${arg_NAME}")
  file(REMOVE_RECURSE "${debs}" "${root}")
  file(MAKE_DIRECTORY "${debs}" "${root}")
  foreach(pkg IN LISTS arg_PACKAGES)
    message(STATUS "pki: fetching ${pkg}/${arg_SUITE} from ${PKI_DEBIAN_MIRROR}")
    _pki_run(${PKI_APT_GET} ${_pki_apt_opts} -qq download "${pkg}/${arg_SUITE}"
      WORKING_DIRECTORY "${debs}")
  endforeach()
  file(GLOB archives "${debs}/*.deb")
  foreach(deb IN LISTS archives)
    _pki_run(${PKI_DPKG} -x "${deb}" "${root}")
  endforeach()
  file(WRITE "${stamp}" "${wanted}")
  set(${out_root} "${root}" PARENT_SCOPE)
endfunction()

# The package a dependency alias (Depends: exactly one package) stands for.
function(pki_debian_resolve_alias out_var pkg)
  _pki_host_suite(host_suite)
  _pki_apt_prepare()
  _pki_run(${PKI_APT_CACHE} ${_pki_apt_opts} depends --no-recommends --no-suggests
    "${pkg}/${host_suite}")
  string(REGEX MATCH "Depends: ([a-z0-9.+-]+)" _ "${_pki_out}")
  if(CMAKE_MATCH_1 STREQUAL "")
    set(${out_var} "${pkg}" PARENT_SCOPE)
  else()
    set(${out_var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
  endif()
endfunction()

# pki_fetch_debian_source(<out_dir_var> NAME <name> SUITE <suite> PACKAGE <source package>)
# Downloads a source package (apt-get source --download-only, with the same private apt
# state) and unpacks its upstream tarball into <build>/_deps/<name>-src; sets <out_dir_var>
# to the unpacked upstream tree. A stamp keeps reconfigures from fetching again.
function(pki_fetch_debian_source out_dir)
  cmake_parse_arguments(arg "" "NAME;SUITE;PACKAGE" "" ${ARGN})
  set(root "${PROJECT_BINARY_DIR}/_deps/${arg_NAME}-src")
  set(stamp "${root}.stamp")
  if(EXISTS "${stamp}")
    file(READ "${stamp}" tree)
    if(EXISTS "${tree}/CMakeLists.txt")
      set(${out_dir} "${tree}" PARENT_SCOPE)
      return()
    endif()
  endif()
  set_property(GLOBAL APPEND PROPERTY _PKI_DEBIAN_SOURCE_SUITES "${arg_SUITE}")
  _pki_apt_prepare()
  set(downloads "${_pki_apt_state}/sources/${arg_NAME}")
  file(REMOVE_RECURSE "${downloads}" "${root}")
  file(MAKE_DIRECTORY "${downloads}" "${root}")
  message(STATUS "pki: fetching the source package ${arg_PACKAGE}/${arg_SUITE} from ${PKI_DEBIAN_MIRROR}")
  _pki_run(${PKI_APT_GET} ${_pki_apt_opts} -qq source --download-only "${arg_PACKAGE}/${arg_SUITE}"
    WORKING_DIRECTORY "${downloads}")
  file(GLOB orig "${downloads}/*.orig.tar.*")
  list(LENGTH orig count)
  if(NOT count EQUAL 1)
    message(FATAL_ERROR "pki: expected one upstream tarball in ${downloads}, found: ${orig}")
  endif()
  file(ARCHIVE_EXTRACT INPUT "${orig}" DESTINATION "${root}")
  file(GLOB tree LIST_DIRECTORIES true "${root}/*")
  list(LENGTH tree count)
  if(NOT count EQUAL 1 OR NOT EXISTS "${tree}/CMakeLists.txt")
    message(FATAL_ERROR "pki: the upstream tarball of ${arg_PACKAGE} did not unpack into one source tree")
  endif()
  file(WRITE "${stamp}" "${tree}")
  set(${out_dir} "${tree}" PARENT_SCOPE)
endfunction()
