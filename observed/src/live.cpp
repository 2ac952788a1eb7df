// The live snapshot's writers (fltsim/observed/live.hpp): what Filter Manager and the System log
// said, printed as fltmc and wevtutil print it, through the same layouts as the simulated
// stack's writers (fltmc_writer.cpp), so parse_observed and parse_filter_events read it back.
#include "fltsim/observed/live.hpp"

#include <cstdio>

#include "fltsim/io/text.hpp"

namespace fltsim::observed {

std::string write_live_filters(const std::vector<LiveFilter> &filters) {
  std::vector<FltmcFilterRow> rows;
  rows.reserve(filters.size());
  for (const LiveFilter &f : filters)
    rows.push_back(
        {f.name, f.instances, f.altitude, f.legacy ? std::nullopt : std::optional<int>(f.frame)});
  return format_fltmc_filters(rows);
}

std::string write_live_instances(const std::vector<LiveInstance> &instances) {
  std::vector<FltmcInstanceRow> rows;
  rows.reserve(instances.size());
  for (const LiveInstance &i : instances) {
    char features[9];
    std::snprintf(features, sizeof features, "%08x", i.supported_features);
    rows.push_back({i.filter, i.volume, i.altitude, i.instance,
                    i.legacy ? std::nullopt : std::optional<int>(i.frame), features});
  }
  return format_fltmc_instances(rows);
}

std::string write_live_fltmc(const std::vector<LiveFilter> &filters,
                             const std::vector<LiveInstance> &instances,
                             const std::vector<LiveVolume> &volumes) {
  std::string out;
  if (!filters.empty())
    out += "C:\\>fltmc filters\n\n" + write_live_filters(filters);
  if (!instances.empty())
    out += std::string(out.empty() ? "" : "\n") + "C:\\>fltmc instances\n\n" +
           write_live_instances(instances);
  if (!volumes.empty()) {
    // `fltmc volumes` (public captures): Dos Name 30 + 2, Volume Name 39 + 2, FileSystem 10 + 2.
    out += std::string(out.empty() ? "" : "\n") + "C:\\>fltmc volumes\n\n";
    out += "Dos Name                        Volume Name                              FileSystem   "
           "Status\n"
           "------------------------------  ---------------------------------------  ----------  "
           "--------\n";
    for (const LiveVolume &v : volumes) {
      std::string line = io::pad_right(v.dos_name, 32) + io::pad_right(v.volume, 41) +
                         io::pad_right(v.file_system, 12);
      while (!line.empty() && line.back() == ' ')
        line.pop_back();
      out += line + "\n";
    }
  }
  return out;
}

std::string write_live_events(const std::vector<LiveLoadEvent> &events) {
  // `wevtutil qe System /q:"*[System[Provider[@Name='Microsoft-Windows-FilterManager'] and
  // (EventID=6)]]" /f:text`: the fields the event reader needs, in wevtutil's order.
  std::string out;
  for (std::size_t i = 0; i < events.size(); ++i) {
    out += "Event[" + std::to_string(i) + "]:\n";
    out += "  Log Name: System\n";
    out += "  Source: Microsoft-Windows-FilterManager\n";
    out += "  Date: " + events[i].time + "\n";
    out += "  Event ID: 6\n";
    out += "  Description: \n";
    out += events[i].message + "\n\n";
  }
  return out;
}

} // namespace fltsim::observed
