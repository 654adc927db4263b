# lvcreate/lvextend/lvresize planning on top of the metadata layer: options,
# sizes, PV lists, requests, applying results to the VG. Included from
# core/lvm/CMakeLists.txt.
add_library(liballoc_lvm_plan STATIC
  ${CMAKE_CURRENT_LIST_DIR}/plan_apply.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_command.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_config.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_create.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_create_params.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_layered.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_options.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_pv_list.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_request.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_resize.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_segtype.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_size.cc
  ${CMAKE_CURRENT_LIST_DIR}/plan_syntax.cc
)
add_library(liballoc::lvm_plan ALIAS liballoc_lvm_plan)
target_include_directories(liballoc_lvm_plan PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(liballoc_lvm_plan PUBLIC liballoc liballoc_lvm_metadata
                      absl::status absl::statusor absl::strings absl::span
                      PkgConfig::devmapper)

# The project's one JSON reader (golden vectors, layout JSON files).
add_library(liballoc_lvm_json STATIC ${CMAKE_CURRENT_LIST_DIR}/json_value.cc)
add_library(liballoc::lvm_json ALIAS liballoc_lvm_json)
target_include_directories(liballoc_lvm_json PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(liballoc_lvm_json PUBLIC absl::status absl::statusor absl::strings)
