# install_units.cmake: run by `cmake --install`, so that the units name the prefix being
# installed to (`--prefix` may differ from the one configured). Given: SRC (this folder),
# SBINDIR, SYSCONFDIR and UNITDIR as configured (relative to the prefix, or absolute), BIN (a
# scratch folder).
foreach(var SBINDIR SYSCONFDIR UNITDIR)
  if(IS_ABSOLUTE "${${var}}")
    set(FULL_${var} "${${var}}")
  elseif(var MATCHES "^SYSCONFDIR$" AND CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(FULL_${var} "/etc") # GNUInstallDirs' rule for /usr
  else()
    set(FULL_${var} "${CMAKE_INSTALL_PREFIX}/${${var}}")
  endif()
endforeach()
set(CMAKE_INSTALL_FULL_SBINDIR "${FULL_SBINDIR}")
set(CMAKE_INSTALL_FULL_SYSCONFDIR "${FULL_SYSCONFDIR}")
foreach(unit settd sett-billingd)
  configure_file("${SRC}/systemd/${unit}.service.in" "${BIN}/${unit}.service" @ONLY)
  file(INSTALL "${BIN}/${unit}.service" DESTINATION "${FULL_UNITDIR}")
  file(INSTALL "${SRC}/default/${unit}" DESTINATION "${FULL_SYSCONFDIR}/default")
endforeach()
