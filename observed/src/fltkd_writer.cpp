// `!fltkd.frames` writer (docs/model.md#output-formats), beside its reader (observed.cpp): see
// fltsim/manifest/observed.hpp.
#include <cstdint>
#include <cstdio>
#include <string>

#include "fltsim/observed/observed.hpp"

namespace fltsim::observed {

using sim::SimResult;

std::string write_fltkd_frames(const sim::Scenario &sc, const SimResult &r) {
  // Addresses are synthetic but stable, so output is deterministic.
  std::uint64_t next = 0xffffcb0e0b000000ull;
  auto addr = [&] {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(next));
    next += 0x1010;
    return std::string(buf);
  };
  std::string out = "Frame List: fffff8050fcbb780 \n";
  for (auto f = r.frames.rbegin(); f != r.frames.rend(); ++f) {
    out += "   FLTP_FRAME: " + addr() + " \"Frame " + std::to_string(f->id) + "\" \"" +
           f->low.text() + " to " + f->high.text() + "\"\n";
    for (auto ff = f->filters.rbegin(); ff != f->filters.rend(); ++ff) {
      out +=
          "      FLT_FILTER: " + addr() + " \"" + ff->name + "\" \"" + ff->altitude.text() + "\"\n";
      const auto &d = sc.drivers[static_cast<std::size_t>(ff->driver)];
      for (const auto &at : ff->attached) {
        const auto &inst = d.instances[static_cast<std::size_t>(at.instance)];
        out += "         FLT_INSTANCE: " + addr() + " \"" + inst.name + "\" \"" +
               inst.altitude.text() + "\"\n";
      }
    }
  }
  return out;
}

} // namespace fltsim::observed
