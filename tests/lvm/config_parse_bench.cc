// Parse time of our config-text parser (and the whole VgModel reader) against
// libdevmapper's dm_config_from_string, on generated metadata of N PVs with
// 16 allocated areas each (N/2 linear LVs of 8 segments). dm_config scans all
// siblings for every new section, so its time grows with N^2; ours with N.
#include <libdevmapper.h>

#include <map>
#include <string>

#include "benchmark/benchmark.h"
#include "generated_metadata.h"
#include "lvm/config_text.h"
#include "lvm/metadata_reader.h"

namespace {

const std::string& Text(int pvs) {
  static std::map<int, std::string> cache;
  auto it = cache.find(pvs);
  if (it == cache.end()) {
    it = cache.emplace(pvs, liballoc::lvm::testing::GenerateLargeMetadata(pvs, 16)).first;
  }
  return it->second;
}

void BM_OurParser(benchmark::State& state) {
  const std::string& text = Text(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto root = liballoc::lvm::ParseConfigText(text);
    if (!root.ok()) state.SkipWithError("parse failed");
    benchmark::DoNotOptimize(root);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
  state.counters["bytes"] = static_cast<double>(text.size());
}

void BM_OurVgModelReader(benchmark::State& state) {
  const std::string& text = Text(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    auto vg = liballoc::lvm::ParseMetadata(text);
    if (!vg.ok()) state.SkipWithError("read failed");
    benchmark::DoNotOptimize(vg);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

void BM_DmConfig(benchmark::State& state) {
  const std::string& text = Text(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    dm_config_tree* cft = dm_config_from_string(text.c_str());
    if (cft == nullptr) state.SkipWithError("dm_config failed");
    benchmark::DoNotOptimize(cft);
    if (cft != nullptr) dm_config_destroy(cft);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * text.size()));
}

BENCHMARK(BM_OurParser)->Arg(256)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_OurVgModelReader)->Arg(256)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DmConfig)->Arg(256)->Arg(1024)->Arg(4096)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
