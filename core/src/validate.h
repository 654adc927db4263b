// Request checks that do not walk the sources (those are BuildView's).
#ifndef LIBALLOC_SRC_VALIDATE_H_
#define LIBALLOC_SRC_VALIDATE_H_

#include "absl/status/status.h"
#include "liballoc/request.h"

namespace liballoc {

absl::Status ValidateRequestFields(const Request& request);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_VALIDATE_H_
