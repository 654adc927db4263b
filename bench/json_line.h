// One flat JSON object per line, for the profiler driver's output: the report
// script reads it line by line as the sweep progresses.
#ifndef LIBALLOC_BENCH_JSON_LINE_H_
#define LIBALLOC_BENCH_JSON_LINE_H_

#include <cstdint>
#include <string>

namespace liballoc::bench {

class JsonLine {
 public:
  JsonLine& Add(const std::string& key, const std::string& value);
  JsonLine& Add(const std::string& key, const char* value) { return Add(key, std::string(value)); }
  JsonLine& Add(const std::string& key, uint64_t value);
  JsonLine& Add(const std::string& key, double value);
  JsonLine& Add(const std::string& key, bool value);
  // The object, without a trailing newline.
  std::string str() const { return "{" + body_ + "}"; }

 private:
  void Key(const std::string& key);
  std::string body_;
};

}  // namespace liballoc::bench

#endif  // LIBALLOC_BENCH_JSON_LINE_H_
