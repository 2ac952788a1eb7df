// FilterManager event 6 records from wevtutil text, Get-WinEvent Format-List text, CSV or JSON
// (events_reader.hpp). Each record with event id 6 (or, when no id is shown, a message of the
// event-6 form) must name a filter in quotes; one that does not is an "events-row" diagnostic.
#include "fltsim/observed/events_reader.hpp"
#include "fltsim/observed/observed.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>

#include <nlohmann/json.hpp>

#include "fltsim/sim/groups.hpp"
#include "observed_csv.hpp"

namespace fltsim::observed {

std::vector<std::string> FilterEventLog::load_order() const {
  std::vector<std::string> out;
  for (const FilterLoadEvent &e : events)
    if (e.boot == boots - 1)
      out.push_back(e.filter);
  return out;
}

namespace {

using namespace csv_detail;

struct Rec {
  int id = -1;
  std::string provider;
  std::string time;
  std::string message;
  int line = 0;
  bool awaiting_message = false;
};

std::string_view trim(std::string_view s) {
  const std::size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos)
    return {};
  const std::size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool has(std::string_view s, std::string_view what) {
  if (what.size() > s.size())
    return false;
  for (std::size_t i = 0; i + what.size() <= s.size(); ++i)
    if (sim::iequals(s.substr(i, what.size()), what))
      return true;
  return false;
}

/// The first quoted name in the message: '...', "...", ‘...’, “...”, „...“, «...».
std::optional<std::string> quoted_name(std::string_view m) {
  static const std::pair<std::string_view, std::string_view> quotes[] = {
      {"'", "'"},
      {"\"", "\""},
      {"\xE2\x80\x98", "\xE2\x80\x99"},
      {"\xE2\x80\x9C", "\xE2\x80\x9D"},
      {"\xE2\x80\x9E", "\xE2\x80\x9C"},
      {"\xC2\xAB", "\xC2\xBB"}};
  std::size_t best = std::string_view::npos;
  std::string out;
  for (const auto &[open, close] : quotes) {
    const std::size_t a = m.find(open);
    if (a == std::string_view::npos || a >= best)
      continue;
    const std::size_t b = m.find(close, a + open.size());
    if (b == std::string_view::npos)
      continue;
    std::string_view name = trim(m.substr(a + open.size(), b - a - open.size()));
    if (name.empty() || name.size() > 256)
      continue;
    best = a;
    out = std::string(name);
  }
  if (best == std::string_view::npos)
    return std::nullopt;
  return out;
}

bool event6_message(std::string_view m) {
  return (has(m, "Filter Manager") || has(m, "Filter-Manager") || has(m, "FilterManager") ||
          has(m, "gestionnaire de filtres") || has(m, "administrador de filtros")) &&
         (has(m, "registered") || has(m, "registriert") || has(m, "inscrit") ||
          has(m, "enregistr") || has(m, "registr"));
}

std::optional<int> to_int(std::string_view v) {
  return small_decimal(trim(v));
}

/// ISO 8601 (`2024-05-01T08:00:01.1234567Z`, `2024-05-01 08:00:01`) or `/Date(1714550401000)/`
/// as a sortable key; nullopt for locale text.
std::optional<std::string> sort_key(std::string_view t) {
  t = trim(t);
  const std::size_t d = t.find("Date(");
  if (d != std::string_view::npos) {
    std::size_t e = d + 5;
    std::string digits;
    while (e < t.size() && t[e] >= '0' && t[e] <= '9')
      digits += t[e++];
    if (digits.empty() || digits.size() > 18)
      return std::nullopt;
    return std::string(18 - digits.size(), '0') + digits;
  }
  if (t.size() < 19 || t[4] != '-' || t[7] != '-' || (t[10] != 'T' && t[10] != ' ') ||
      t[13] != ':' || t[16] != ':')
    return std::nullopt;
  std::string key;
  for (const char c : t)
    if (c >= '0' && c <= '9')
      key += c;
  key.resize(std::max<std::size_t>(key.size(), 24), '0');
  return key;
}

void finish(std::vector<Rec> &recs, Rec &cur) {
  if (!cur.message.empty() || cur.id >= 0)
    recs.push_back(cur);
  cur = Rec{};
}

/// wevtutil /f:text and Format-List: `Key: value` lines, records separated by `Event[N]:` or
/// blank lines; the message may follow its key on the next lines.
std::vector<Rec> parse_text(std::string_view text, bool &newest_first) {
  std::vector<Rec> recs;
  Rec cur;
  bool format_list = false;
  for (const NumberedLine &nl : numbered_lines(text)) {
    const std::string_view t = trim(nl.text);
    if (t.empty()) {
      if (format_list && !cur.message.empty())
        finish(recs, cur);
      continue;
    }
    if (t.rfind("Event[", 0) == 0) {
      finish(recs, cur);
      continue;
    }
    const std::size_t colon = t.find(':');
    std::string_view key = colon == std::string_view::npos ? "" : trim(t.substr(0, colon));
    const std::string_view value = colon == std::string_view::npos ? "" : trim(t.substr(colon + 1));
    auto is_key = [&](std::initializer_list<std::string_view> names) {
      return std::any_of(names.begin(), names.end(),
                         [&](std::string_view n) { return sim::iequals(key, n); });
    };
    if (is_key({"TimeCreated", "Date"})) {
      if (!cur.message.empty() || !cur.time.empty())
        finish(recs, cur);
      format_list = format_list || sim::iequals(key, "TimeCreated");
      cur.time = std::string(value);
    } else if (is_key({"Id", "Event ID", "EventID", "EventId"})) {
      cur.id = to_int(value).value_or(-1);
    } else if (is_key({"ProviderName", "Source", "Provider Name", "Provider"})) {
      cur.provider = std::string(value);
    } else if (is_key({"Message", "Description"})) {
      cur.message = std::string(value);
      cur.line = nl.number;
      cur.awaiting_message = value.empty();
    } else if (cur.awaiting_message || (cur.message.empty() && event6_message(t))) {
      cur.message = std::string(t);
      cur.line = nl.number;
      cur.awaiting_message = false;
    }
  }
  finish(recs, cur);
  newest_first = format_list;
  return recs;
}

std::vector<Rec> parse_csv_records(std::string_view text, bool &is_csv,
                                   std::vector<sim::Diagnostic> &diags, const std::string &source) {
  std::vector<Rec> recs;
  is_csv = false;
  const auto lines = numbered_lines(text);
  std::size_t h = 0;
  while (h < lines.size() && (trim(lines[h].text).empty() || lines[h].text.rfind("#TYPE", 0) == 0))
    ++h;
  if (h >= lines.size())
    return recs;
  bool ok = true;
  const auto header = split_csv_line(lines[h].text, ok);
  const int c_msg = column_of(header, "Message");
  const int c_id = std::max(column_of(header, "Id"), column_of(header, "EventID"));
  const int c_time = std::max(column_of(header, "TimeCreated"), column_of(header, "TimeGenerated"));
  const int c_prov = std::max(column_of(header, "ProviderName"), column_of(header, "Source"));
  if (!ok || c_msg < 0)
    return recs;
  is_csv = true;
  // Export-Csv quotes every field; a message with line breaks continues on the next lines. The
  // record is complete when its quotes are balanced: each line's quotes are counted once, so an
  // unclosed quote costs one pass over the text, and a record longer than max_record_bytes
  // is refused where it starts.
  std::string pending;
  int pending_line = 0;
  bool in_quotes = false;
  for (std::size_t i = h + 1; i < lines.size(); ++i) {
    if (pending.empty()) {
      if (trim(lines[i].text).empty())
        continue;
      pending_line = lines[i].number;
      pending = std::string(lines[i].text);
    } else {
      pending += "\n";
      pending += lines[i].text;
    }
    for (const char c : lines[i].text)
      in_quotes = in_quotes != (c == '"');
    if (pending.size() > max_record_bytes) {
      diags.push_back(sim::make_diagnostic(
          {source, pending_line, 1}, "limit",
          "the CSV record starting here is longer than " + std::to_string(max_record_bytes / 1024) +
              " KiB, the record size limit (a quote that is never closed?)"));
      return recs;
    }
    if (in_quotes && i + 1 < lines.size())
      continue;
    if (in_quotes) {
      diags.push_back(sim::make_diagnostic({source, pending_line, 1}, "events-row",
                                           "the CSV record starting here has a quote that is "
                                           "never closed"));
      return recs;
    }
    auto fields = split_csv_line(pending, ok);
    Rec r;
    r.line = pending_line;
    auto field = [&](int c) {
      return c >= 0 && static_cast<std::size_t>(c) < fields.size()
                 ? fields[static_cast<std::size_t>(c)]
                 : std::string();
    };
    r.message = field(c_msg);
    r.id = to_int(field(c_id)).value_or(-1);
    r.time = field(c_time);
    r.provider = field(c_prov);
    recs.push_back(std::move(r));
    pending.clear();
  }
  return recs;
}

std::optional<std::vector<Rec>> parse_json_records(std::string_view text,
                                                   std::vector<sim::Diagnostic> &diags,
                                                   const std::string &source) {
  nlohmann::json j;
  if (const auto deep = json_too_deep(text)) {
    diags.push_back(sim::make_diagnostic({source, deep->line, deep->column}, "limit",
                                         "the JSON nests deeper than " +
                                             std::to_string(max_json_depth) +
                                             " levels, the nesting limit"));
    return std::vector<Rec>{};
  }
  try {
    j = nlohmann::json::parse(text.begin(), text.end());
  } catch (const nlohmann::json::parse_error &) {
    return std::nullopt;
  } catch (const nlohmann::json::exception &e) { // a number out of range (1e999), ...
    diags.push_back(json_error(text, source, "events-row", e));
    return std::vector<Rec>{};
  }
  if (j.is_object())
    j = nlohmann::json::array({j});
  if (!j.is_array())
    return std::nullopt;
  const std::vector<int> lines = json_key_lines(text, "Message");
  std::vector<Rec> recs;
  std::size_t k = 0;
  for (const nlohmann::json &o : j) {
    if (!o.is_object())
      continue;
    Rec r;
    auto text_of = [](const nlohmann::json &v) -> std::string {
      if (v.is_string())
        return v.get<std::string>();
      if (v.is_number_integer() || v.is_number_unsigned())
        return std::to_string(v.get<long long>());
      return {};
    };
    for (auto it = o.begin(); it != o.end(); ++it) {
      if (sim::iequals(it.key(), "Message")) {
        r.message = text_of(it.value());
        r.line = k < lines.size() ? lines[k++] : 1;
      } else if (sim::iequals(it.key(), "Id") || sim::iequals(it.key(), "EventID")) {
        r.id = to_int(text_of(it.value())).value_or(-1);
      } else if (sim::iequals(it.key(), "TimeCreated")) {
        r.time = text_of(it.value());
      } else if (sim::iequals(it.key(), "ProviderName")) {
        r.provider = text_of(it.value());
      }
    }
    recs.push_back(std::move(r));
  }
  return recs;
}

} // namespace

FilterEventLog parse_filter_events(std::string_view text, const std::string &source) {
  FilterEventLog log;
  std::vector<Rec> recs;
  bool newest_first = false;
  const std::size_t first = text.find_first_not_of(" \t\r\n");
  bool structured = false;
  if (first != std::string_view::npos && (text[first] == '[' || text[first] == '{')) {
    if (auto j = parse_json_records(text, log.diagnostics, source)) {
      recs = std::move(*j);
      structured = true;
      newest_first = true; // Get-WinEvent order
    }
  }
  if (!structured) {
    bool is_csv = false;
    recs = parse_csv_records(text, is_csv, log.diagnostics, source);
    if (is_csv)
      newest_first = true;
    else
      recs = parse_text(text, newest_first);
  }
  if (!log.diagnostics.empty()) // a limit or an export that does not parse: nothing is read
    return log;
  if (recs.size() > max_event_records) {
    log.diagnostics.push_back(
        sim::make_diagnostic({source, recs[max_event_records].line, 1}, "limit",
                             "the log has more than " + std::to_string(max_event_records) +
                                 " records, the event record limit"));
    return log;
  }
  std::vector<Rec> sixes;
  for (const Rec &r : recs) {
    const bool provider_ok = r.provider.empty() || has(r.provider, "FilterManager");
    const bool is6 = r.id == 6 ? provider_ok : (r.id < 0 && event6_message(r.message));
    if (!is6)
      continue;
    if (!quoted_name(r.message)) {
      log.diagnostics.push_back(
          sim::make_diagnostic({source, r.line, 1}, "events-row",
                               "FilterManager event 6 without a quoted filter name: \"" +
                                   r.message.substr(0, 100) + "\""));
      continue;
    }
    sixes.push_back(r);
  }
  // Order: by timestamp when every record has a sortable one, else as the tool prints it.
  const bool sortable = !sixes.empty() && std::all_of(sixes.begin(), sixes.end(), [](const Rec &r) {
    return sort_key(r.time).has_value();
  });
  if (sortable) {
    std::stable_sort(sixes.begin(), sixes.end(), [](const Rec &a, const Rec &b) {
      return *sort_key(a.time) < *sort_key(b.time);
    });
    log.notes.push_back("records ordered by their timestamps");
  } else if (newest_first) {
    std::reverse(sixes.begin(), sixes.end());
    log.notes.push_back("records taken as Get-WinEvent prints them, newest first, and reversed");
  } else if (!sixes.empty()) {
    log.notes.push_back("records taken in the order printed (wevtutil prints oldest first)");
  }
  // A name registering again starts a new boot.
  std::vector<std::string> seen;
  int boot = 0;
  for (const Rec &r : sixes) {
    const std::string name = *quoted_name(r.message);
    const std::string lower = sim::ascii_lower(name);
    if (std::find(seen.begin(), seen.end(), lower) != seen.end()) {
      ++boot;
      seen.clear();
    }
    seen.push_back(lower);
    log.events.push_back({name, r.time, r.line, boot});
  }
  log.boots = log.events.empty() ? 0 : boot + 1;
  if (log.boots > 1)
    log.notes.push_back(std::to_string(log.boots) + " boots in the log; the last one is used");
  if (log.events.empty() && log.diagnostics.empty())
    log.diagnostics.push_back(sim::make_diagnostic(
        {source, 0, 0}, "events-unrecognized",
        "no FilterManager event 6 record found (expected wevtutil /f:text, Get-WinEvent "
        "Format-List, CSV or JSON output)"));
  return log;
}

} // namespace fltsim::observed
