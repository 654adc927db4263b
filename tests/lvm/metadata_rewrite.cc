// Test support for lvm2_restore_check.sh: reads metadata text, optionally
// adds a linear LV of COUNT extents in the first free area that holds it (to
// exercise ids and creation fields of new LVs), and prints WriteMetadata's
// text. Exit status 3: the VG has no such free area.
//   metadata_rewrite FILE [--add-linear NAME COUNT]
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "lvm/free_space.h"
#include "lvm/metadata_reader.h"
#include "lvm/metadata_writer.h"

int main(int argc, char** argv) {
  using namespace liballoc::lvm;
  if (argc != 2 && !(argc == 5 && std::string(argv[2]) == "--add-linear")) {
    std::cerr << "usage: metadata_rewrite FILE [--add-linear NAME COUNT]\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  if (!in) {
    std::cerr << "metadata_rewrite: cannot read " << argv[1] << "\n";
    return 1;
  }
  std::stringstream text;
  text << in.rdbuf();
  absl::StatusOr<VgModel> vg = ParseMetadata(text.str());
  if (!vg.ok()) {
    std::cerr << "metadata_rewrite: " << argv[1] << ": " << vg.status().message() << "\n";
    return 1;
  }
  if (argc == 5) {
    const uint64_t count = std::strtoull(argv[4], nullptr, 10);
    const std::vector<std::vector<liballoc::Area>> free = AllFreeAreas(*vg);
    const PvModel* pv = nullptr;
    uint64_t pe = 0;
    for (size_t i = 0; i < free.size() && pv == nullptr; ++i) {
      for (const liballoc::Area& area : free[i]) {
        if (area.count >= count) {
          pv = &vg->pvs[i];
          pe = area.start;
          break;
        }
      }
    }
    if (pv == nullptr) {
      std::cerr << "metadata_rewrite: no free area of " << count << " extents\n";
      return 3;
    }
    LvModel lv;
    lv.name = argv[3];
    lv.status = {"READ", "WRITE", "VISIBLE"};
    SegmentModel seg;
    seg.type = "striped";
    seg.extent_count = count;
    seg.areas.push_back({false, pv->key, pe});
    lv.segments.push_back(seg);
    vg->lvs.push_back(lv);
    if (absl::Status s = ValidateVgModel(*vg); !s.ok()) {
      std::cerr << "metadata_rewrite: the added LV does not fit: " << s.message() << "\n";
      return 1;
    }
  }
  WriteOptions options;
  options.creation_host = "liballoc-test";
  options.creation_time = 1700000000;
  std::cout << WriteMetadata(*vg, options);
  return 0;
}
