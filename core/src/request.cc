#include "liballoc/request.h"

namespace liballoc {

std::string_view PolicyName(Policy policy) {
  switch (policy) {
    case Policy::kContiguous: return "contiguous";
    case Policy::kCling: return "cling";
    case Policy::kClingByTags: return "cling_by_tags";
    case Policy::kNormal: return "normal";
    case Policy::kAnywhere: return "anywhere";
  }
  return "?";
}

}  // namespace liballoc
