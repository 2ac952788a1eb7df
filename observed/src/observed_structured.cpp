// NtObjectManager exports: `Get-FilterDriver | ConvertTo-Json` / `| Export-Csv` (Name, Altitude,
// FrameID, NumberOfInstances, MiniFilter, Flags) and `Get-FilterDriverInstance` (Name, Altitude,
// VolumeName, FilterName). The property names are those of NtApiDotNet's FilterDriver and
// FilterInstance classes (tests/corpus/README.md). Every object or CSV record becomes a filter or
// an instance, or an "observed-row" diagnostic with its line.
#include "observed_structured.hpp"

#include <nlohmann/json.hpp>

#include "fltsim/sim/groups.hpp"
#include "observed_csv.hpp"

namespace fltsim::observed::observed_detail {

namespace {

using namespace csv_detail;

sim::Diagnostic diag(const std::string &source, int line, std::string code, std::string message) {
  return sim::make_diagnostic({source, line, line > 0 ? 1 : 0}, std::move(code),
                              std::move(message));
}

/// One exported object, whatever the container: the values as text.
struct Record {
  std::string name, altitude, frame, instances, minifilter, filter_name, volume;
  bool has_frame = false, has_minifilter = false, has_filter_name = false;
  int line = 0;
};

bool blank(std::string_view v) {
  return v.find_first_not_of(" \t\r") == std::string_view::npos;
}

bool truthy(std::string_view v) {
  return sim::iequals(v, "true") || v == "1";
}

void add_record(ObservedStack &st, const Record &r, const std::string &source) {
  const bool instance = r.has_filter_name && !r.has_frame && !r.has_minifilter;
  const ObservedKind kind =
      instance ? ObservedKind::ntobject_instances : ObservedKind::ntobject_filters;
  if (st.sections.empty() || st.sections.back().kind != kind) {
    ObservedSection s;
    s.kind = kind;
    s.line = r.line;
    st.sections.push_back(std::move(s));
  }
  ObservedSection &s = st.sections.back();
  std::optional<sim::Altitude> altitude;
  if (!r.altitude.empty()) {
    sim::Diagnostic error;
    altitude = sim::Altitude::parse(r.altitude, &error);
    if (!altitude) {
      st.diagnostics.push_back(diag(source, r.line, "observed-altitude", error.message));
      return;
    }
  }
  if (instance) {
    if (r.filter_name.empty()) {
      st.diagnostics.push_back(
          diag(source, r.line, "observed-row", "the instance object has no FilterName"));
      return;
    }
    ObservedInstance in;
    in.filter = r.filter_name;
    in.instance_name = r.name;
    in.volume = r.volume;
    in.altitude = altitude;
    in.line = r.line;
    s.instances.push_back(std::move(in));
    return;
  }
  if (r.name.empty()) {
    st.diagnostics.push_back(diag(source, r.line, "observed-row", "the filter object has no Name"));
    return;
  }
  ObservedFilter f;
  f.name = r.name;
  f.legacy = r.has_minifilter && !truthy(r.minifilter);
  f.altitude = altitude;
  f.line = r.line;
  if (!f.legacy) {
    f.frame = small_decimal(r.frame);
    f.num_instances = small_decimal(r.instances);
    if (!f.frame || !f.altitude) {
      st.diagnostics.push_back(diag(source, r.line, "observed-row",
                                    "minifilter '" + r.name + "' needs a FrameID and an Altitude"));
      return;
    }
  }
  s.filters.push_back(std::move(f));
}

std::string json_text(const nlohmann::json &v) {
  if (v.is_string())
    return v.get<std::string>();
  if (v.is_boolean())
    return v.get<bool>() ? "True" : "False";
  if (v.is_number_integer() || v.is_number_unsigned())
    return std::to_string(v.get<long long>());
  if (v.is_number_float())
    return v.dump();
  return {};
}

std::optional<ObservedStack> parse_json(std::string_view text, const std::string &source) {
  nlohmann::json j;
  ObservedStack st;
  if (const auto deep = json_too_deep(text)) {
    st.diagnostics.push_back(sim::make_diagnostic({source, deep->line, deep->column}, "limit",
                                                  "the JSON nests deeper than " +
                                                      std::to_string(max_json_depth) +
                                                      " levels, the nesting limit"));
    return st;
  }
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error &e) {
    int line = 1;
    for (std::size_t k = 0; k + 1 < e.byte && k < text.size(); ++k)
      line += text[k] == '\n';
    st.diagnostics.push_back(
        diag(source, line, "observed-unrecognized",
             "the JSON export does not parse (cut off?): " + std::string(e.what())));
    return st;
  } catch (const nlohmann::json::exception &e) { // a number out of range (1e999), ...
    st.diagnostics.push_back(json_error(text, source, "observed-row", e));
    return st;
  }
  if (j.is_object())
    j = nlohmann::json::array({j});
  if (!j.is_array())
    return std::nullopt;
  const std::vector<int> lines = json_key_lines(text, "Name");
  std::size_t named = 0;
  if (j.size() > max_capture_rows) {
    st.diagnostics.push_back(
        diag(source, max_capture_rows < lines.size() ? lines[max_capture_rows] : 1, "limit",
             "the export has more than " + std::to_string(max_capture_rows) +
                 " objects, the capture row limit"));
    return st;
  }
  for (const nlohmann::json &o : j) {
    if (!o.is_object())
      continue;
    Record r;
    auto get = [&](const char *key, std::string &out, bool *has = nullptr) {
      for (auto it = o.begin(); it != o.end(); ++it)
        if (sim::iequals(it.key(), key)) {
          out = json_text(it.value());
          if (has)
            *has = true;
        }
    };
    get("Name", r.name);
    if (o.contains("Name"))
      r.line = named < lines.size() ? lines[named++] : 1;
    else
      r.line = 1;
    get("Altitude", r.altitude);
    get("FrameID", r.frame, &r.has_frame);
    get("NumberOfInstances", r.instances);
    get("MiniFilter", r.minifilter, &r.has_minifilter);
    get("FilterName", r.filter_name, &r.has_filter_name);
    get("VolumeName", r.volume);
    if (!r.has_frame && !r.has_minifilter && !r.has_filter_name)
      return std::nullopt; // not an NtObjectManager export
    add_record(st, r, source);
  }
  // ConvertTo-Json writes one "Name" key per object; a key line left over (a repeated key,
  // which the JSON parser folds into one) is reported.
  for (std::size_t k = named; k < lines.size(); ++k)
    st.diagnostics.push_back(diag(source, lines[k], "observed-row",
                                  "a \"Name\" key that belongs to no object of its own (repeated "
                                  "key?)"));
  if (st.sections.empty() && st.diagnostics.empty())
    return std::nullopt;
  return st;
}

std::optional<ObservedStack> parse_csv(std::string_view text, const std::string &source) {
  const auto lines = numbered_lines(text);
  std::size_t h = 0;
  while (h < lines.size() && (blank(lines[h].text) || lines[h].text.rfind("#TYPE", 0) == 0))
    ++h;
  if (h >= lines.size())
    return std::nullopt;
  bool ok = true;
  const auto header = split_csv_line(lines[h].text, ok);
  const int c_name = column_of(header, "Name");
  const int c_alt = column_of(header, "Altitude");
  const int c_frame = column_of(header, "FrameID");
  const int c_num = column_of(header, "NumberOfInstances");
  const int c_mini = column_of(header, "MiniFilter");
  const int c_filter = column_of(header, "FilterName");
  const int c_volume = column_of(header, "VolumeName");
  if (!ok || c_name < 0 || c_alt < 0 || (c_frame < 0 && c_mini < 0 && c_filter < 0))
    return std::nullopt;
  ObservedStack st;
  std::size_t records = 0;
  for (std::size_t i = h + 1; i < lines.size(); ++i) {
    if (blank(lines[i].text))
      continue;
    if (++records > max_capture_rows || lines[i].text.size() > max_record_bytes) {
      st = ObservedStack{};
      st.diagnostics.push_back(
          diag(source, lines[i].number, "limit",
               records > max_capture_rows
                   ? "the export has more than " + std::to_string(max_capture_rows) +
                         " records, the capture row limit"
                   : "the record is longer than " + std::to_string(max_record_bytes / 1024) +
                         " KiB, the record size limit"));
      return st;
    }
    const auto fields = split_csv_line(lines[i].text, ok);
    if (!ok || fields.size() != header.size()) {
      const bool last = i + 1 == lines.size();
      const std::string why = "the record has " + std::to_string(fields.size()) + " of " +
                              std::to_string(header.size()) + " fields";
      if (last && fields.size() < header.size() && !st.sections.empty()) {
        st.sections.back().truncated = true;
        st.sections.back().notes.push_back("line " + std::to_string(lines[i].number) +
                                           ": the last record is cut off (" + why + ")");
      } else {
        st.diagnostics.push_back(diag(source, lines[i].number, "observed-row", why));
      }
      continue;
    }
    auto field = [&](int c) {
      return c >= 0 ? fields[static_cast<std::size_t>(c)] : std::string();
    };
    Record r;
    r.line = lines[i].number;
    r.name = field(c_name);
    r.altitude = field(c_alt);
    r.frame = field(c_frame);
    r.has_frame = c_frame >= 0;
    r.instances = field(c_num);
    r.minifilter = field(c_mini);
    r.has_minifilter = c_mini >= 0;
    r.filter_name = field(c_filter);
    r.has_filter_name = c_filter >= 0;
    r.volume = field(c_volume);
    add_record(st, r, source);
  }
  if (st.sections.empty() && st.diagnostics.empty()) {
    ObservedSection s;
    s.kind = c_filter >= 0 && c_frame < 0 ? ObservedKind::ntobject_instances
                                          : ObservedKind::ntobject_filters;
    s.line = lines[h].number;
    s.truncated = true;
    s.notes.push_back("line " + std::to_string(lines[h].number) +
                      ": the export has a header but no records");
    st.sections.push_back(std::move(s));
  }
  return st;
}

} // namespace

std::optional<ObservedStack> parse_structured(std::string_view text, const std::string &source) {
  std::size_t i = 0;
  while (i < text.size() &&
         (text[i] == ' ' || text[i] == '\t' || text[i] == '\r' || text[i] == '\n'))
    ++i;
  if (i >= text.size())
    return std::nullopt;
  if (text[i] == '{' || text[i] == '[') {
    std::size_t k = i + 1;
    while (k < text.size() &&
           (text[k] == ' ' || text[k] == '\t' || text[k] == '\r' || text[k] == '\n'))
      ++k;
    if (text[i] == '{' || (k < text.size() && (text[k] == '{' || text[k] == ']')))
      return parse_json(text, source);
    return std::nullopt;
  }
  if (text[i] == '"' || text.substr(i, 5) == "#TYPE")
    return parse_csv(text, source);
  return std::nullopt;
}

} // namespace fltsim::observed::observed_detail
