// allocation/cling_tag_list matching (spec §8.4) over interned tags.
//
// Tags are interned per request into small integers; a source's tag set is a
// sorted vector of them. The list's entries are kept in configured order
// because the first matching entry decides (the result is the same either way,
// but keeping the order keeps the cost model honest).
#ifndef LIBALLOC_SRC_TAG_MATCHER_H_
#define LIBALLOC_SRC_TAG_MATCHER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"

namespace liballoc {

using TagSet = std::vector<uint32_t>;  // sorted, unique

class TagInterner {
 public:
  uint32_t Intern(const std::string& tag) {
    auto [it, inserted] = ids_.emplace(tag, static_cast<uint32_t>(ids_.size()));
    return it->second;
  }
  TagSet InternAll(const std::vector<std::string>& tags);

 private:
  absl::flat_hash_map<std::string, uint32_t> ids_;
};

class TagMatcher {
 public:
  TagMatcher() = default;
  // Entries that are not "@name" or "@*" are ignored, as LVM2 ignores them.
  TagMatcher(const std::vector<std::string>& cling_tag_list, TagInterner& interner);

  // True if some entry matches: "@*" when the sets share any tag, "@name"
  // when both contain `name`.
  bool Match(const TagSet& a, const TagSet& b) const;

 private:
  bool wildcard_ = false;      // an "@*" entry is present
  std::vector<uint32_t> tags_; // the "@name" entries
};

// Union of `add` into `into` (both sorted).
void MergeTags(TagSet& into, const TagSet& add);

}  // namespace liballoc

#endif  // LIBALLOC_SRC_TAG_MATCHER_H_
