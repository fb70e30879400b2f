# The README's pictures: the SVG renderer's tests, the program that makes the pictures from real
# runs (scripts/screenshots), and the check that the committed pictures match their cell dumps.
find_program(XMLLINT_EXE xmllint)
if(NOT XMLLINT_EXE)
  set(XMLLINT_EXE xmllint) # the tests fail and say so: scripts/install-deps --test installs it
endif()
set(SCREENSHOTS_DIR ${PROJECT_SOURCE_DIR}/docs/screenshots)
set(SCREENSHOTS_CELLS ${CMAKE_CURRENT_SOURCE_DIR}/golden/screenshots)

add_executable(screens_svg_test test_svg.c)
target_link_libraries(screens_svg_test PRIVATE screens_harness)
add_test(NAME screens_svg_render COMMAND screens_svg_test render ${XMLLINT_EXE})
add_test(NAME screens_svg_committed
  COMMAND screens_svg_test golden ${XMLLINT_EXE} ${SCREENSHOTS_CELLS} ${SCREENSHOTS_DIR})
add_test(NAME screens_svg_cast COMMAND screens_svg_test cast ${SCREENSHOTS_DIR}/purchase.cast)
set_tests_properties(screens_svg_render screens_svg_committed screens_svg_cast PROPERTIES
  TIMEOUT ${SCREENS_CTEST_TIMEOUT} LABELS screens)

if(TARGET sett AND TARGET sett-billingd)
  add_executable(sett_screenshots screenshots.c cast.c sett_run.c account_support.c)
  target_compile_definitions(sett_screenshots PRIVATE
    SETT_BIN="$<TARGET_FILE:sett>"
    BILLINGD_BIN="$<TARGET_FILE:sett-billingd>"
    FIXED_BILLINGD_BIN="$<TARGET_FILE:screens_fixed_billingd>"
    FIXTURES_DIR="${CMAKE_CURRENT_SOURCE_DIR}/fixtures"
    SCREENS_GOLDEN_DIR="${CMAKE_CURRENT_SOURCE_DIR}/golden")
  target_link_libraries(sett_screenshots PRIVATE screens_harness)
  add_dependencies(sett_screenshots sett sett-billingd screens_fixed_billingd)
  # The committed pictures are what a new run makes (fixed day, size and catalog).
  add_dependencies(screens_svg_test sett_screenshots)
  add_test(NAME screens_svg_again
    COMMAND screens_svg_test again $<TARGET_FILE:sett_screenshots> ${SCREENSHOTS_DIR})
  add_test(NAME screens_svg_markup
    COMMAND screens_svg_test markup $<TARGET_FILE:sett_screenshots> ${XMLLINT_EXE})
  set_tests_properties(screens_svg_again screens_svg_markup PROPERTIES
    TIMEOUT ${SCREENS_CTEST_TIMEOUT} LABELS screens)
endif()
