# LVM2 text metadata: the config-text parser, the VgModel reader and writer,
# layout JSON, and the free space of a VG. Included from core/lvm/CMakeLists.txt.
add_library(liballoc_lvm_metadata STATIC
  ${CMAKE_CURRENT_LIST_DIR}/config_text.cc
  ${CMAKE_CURRENT_LIST_DIR}/vg_model.cc
  ${CMAKE_CURRENT_LIST_DIR}/metadata_reader.cc
  ${CMAKE_CURRENT_LIST_DIR}/free_space.cc
  ${CMAKE_CURRENT_LIST_DIR}/metadata_writer.cc
  ${CMAKE_CURRENT_LIST_DIR}/layout_json.cc
)
add_library(liballoc::lvm_metadata ALIAS liballoc_lvm_metadata)
# Headers are included as "lvm/..." from the core/ directory.
target_include_directories(liballoc_lvm_metadata PUBLIC ${CMAKE_CURRENT_LIST_DIR}/..)
target_link_libraries(liballoc_lvm_metadata PUBLIC liballoc absl::status absl::statusor
                      absl::strings absl::str_format absl::flat_hash_map
                      absl::inlined_vector)
