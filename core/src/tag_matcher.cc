#include "tag_matcher.h"

#include <algorithm>
#include <iterator>

namespace liballoc {

TagSet TagInterner::InternAll(const std::vector<std::string>& tags) {
  TagSet out;
  out.reserve(tags.size());
  for (const std::string& t : tags) out.push_back(Intern(t));
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

TagMatcher::TagMatcher(const std::vector<std::string>& list, TagInterner& interner) {
  for (const std::string& entry : list) {
    if (entry.size() < 2 || entry[0] != '@') continue;
    if (entry == "@*") {
      wildcard_ = true;
    } else {
      tags_.push_back(interner.Intern(entry.substr(1)));
    }
  }
}

bool TagMatcher::Match(const TagSet& a, const TagSet& b) const {
  if (a.empty() || b.empty()) return false;
  if (wildcard_) {
    auto i = a.begin();
    auto j = b.begin();
    while (i != a.end() && j != b.end()) {
      if (*i == *j) return true;
      if (*i < *j) ++i; else ++j;
    }
  }
  for (uint32_t t : tags_) {
    if (std::binary_search(a.begin(), a.end(), t) &&
        std::binary_search(b.begin(), b.end(), t)) {
      return true;
    }
  }
  return false;
}

void MergeTags(TagSet& into, const TagSet& add) {
  TagSet out;
  out.reserve(into.size() + add.size());
  std::set_union(into.begin(), into.end(), add.begin(), add.end(), std::back_inserter(out));
  into.swap(out);
}

}  // namespace liballoc
