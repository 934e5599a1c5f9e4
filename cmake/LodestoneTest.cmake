# lodestone_add_test(NAME tst_foo SOURCES tst_foo.cpp [LIBRARIES ...] [LABELS unit|slow|gpu ...] [TIMEOUT s])
# One Qt Test executable per unit, registered with CTest under its labels. Tests find the shared reference
# fixture through LODESTONE_FIXTURES (default: ../shared/fixtures beside the source tree).
set(LODESTONE_FIXTURES_DEFAULT "${PROJECT_SOURCE_DIR}/../shared/fixtures")
get_filename_component(LODESTONE_FIXTURES_DEFAULT "${LODESTONE_FIXTURES_DEFAULT}" ABSOLUTE)

function(lodestone_add_test)
    cmake_parse_arguments(T "" "NAME;TIMEOUT" "SOURCES;LIBRARIES;LABELS" ${ARGN})
    if(NOT T_LABELS)
        set(T_LABELS unit)
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 600)
    endif()
    add_executable(${T_NAME} ${T_SOURCES})
    target_link_libraries(${T_NAME} PRIVATE Qt6::Test lodestone_core ${T_LIBRARIES})
    target_compile_definitions(${T_NAME} PRIVATE
        LODESTONE_FIXTURES_DEFAULT="${LODESTONE_FIXTURES_DEFAULT}"
        LODESTONE_TEST_BINARY_DIR="${CMAKE_CURRENT_BINARY_DIR}")
    target_include_directories(${T_NAME} PRIVATE "${PROJECT_SOURCE_DIR}/tests/common" "${PROJECT_SOURCE_DIR}/core/src")
    lodestone_enable_warnings(${T_NAME})
    add_test(NAME ${T_NAME} COMMAND ${T_NAME})
    set_tests_properties(${T_NAME} PROPERTIES LABELS "${T_LABELS}" TIMEOUT ${T_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=offscreen")
endfunction()
