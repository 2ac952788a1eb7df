// .reg export reader. Reads what regedit writes ("Windows Registry Editor Version 5.00"
// or "REGEDIT4", after optional ';' comment lines) and keeps the service keys a filter driver
// needs:
//   [HKEY_LOCAL_MACHINE|HKLM\<hive>\<CurrentControlSet|ControlSetNNN>\Services\<svc>]
//     Start, Type, Group, Tag, DependOnService (REG_MULTI_SZ, hex(7))
//   [...\<svc>\Instances] or [...\<svc>\Parameters\Instances]       DefaultInstance
//   [...\<svc>\Instances\<inst>] or [...\Parameters\Instances\<inst>] Altitude, Flags
// <hive> is usually SYSTEM, but an offline hive mounted under another name (PE_SYSTEM) is
// accepted too. Other keys and values are ignored. Values: "text" (escapes \\ and \"),
// dword:XXXXXXXX, hex:/hex(N): byte lists continued over lines with a trailing '\', '-' to
// delete; [-key] deletes a key. Later writes replace earlier ones, as on import. hex(2)/hex(7)
// data is UTF-16LE in version 5 files and 8-bit text in REGEDIT4 files.
// One driver per service key, in file order; kind as for INF (machine::decide_service_kind). A
// service present under several control sets is kept once: silently when the copies agree, with an
// "reg-duplicate-service" diagnostic when they differ. Services whose Type is neither kernel (1)
// nor file system driver (2) are skipped.
#include "fltsim/manifest/reg_reader.hpp"

#include <map>
#include <set>

#include "fltsim/io/utf8.hpp"
#include "fltsim/machine/reg_text.hpp"
#include "fltsim/machine/service_kind.hpp"
#include "fltsim/sim/groups.hpp"

#include "reader_common.hpp"

namespace fltsim::manifest {

using sim::SourceLocation;

namespace {

using namespace machine::regtext;

using detail::InstanceRec;

struct ServiceRec {
  std::string name;
  SourceLocation where; // first key line of the service
  std::optional<std::uint32_t> start, type, tag;
  std::optional<std::string> group;
  std::vector<std::string> depends;
  std::optional<std::string> default_instance;
  std::vector<InstanceRec> instances;
  std::map<std::string, std::size_t> index; // lower-case instance name -> instances[]
  bool removed = false;
  std::string control_set; // lower-cased: "controlset001", "currentcontrolset"
  /// Problems with this service's values: reported only if the service is kept (a service the
  /// import leaves out is not talked about, docs/model.md#kind-evidence).
  std::vector<sim::Diagnostic> diags;
  void add(SourceLocation at, std::string code, std::string message, std::string_view fact = {}) {
    diags.push_back(machine::make_diag(std::move(at), std::move(code), std::move(message)));
    diags.back().fact = fact;
  }

  InstanceRec *find(const std::string &n) {
    auto it = index.find(sim::ascii_lower(n));
    return it == index.end() ? nullptr : &instances[it->second];
  }
  InstanceRec &instance(const std::string &n, const SourceLocation &at) {
    if (InstanceRec *r = find(n))
      return *r;
    index.emplace(sim::ascii_lower(n), instances.size());
    instances.push_back({n, at, std::nullopt, {}, std::nullopt});
    return instances.back();
  }
  void remove_instance(const std::string &n) {
    auto it = index.find(sim::ascii_lower(n));
    if (it == index.end())
      return;
    instances.erase(instances.begin() + static_cast<std::ptrdiff_t>(it->second));
    index.clear();
    for (std::size_t i = 0; i < instances.size(); ++i)
      index.emplace(sim::ascii_lower(instances[i].name), i);
  }
};

// Where the current key points.
struct KeyTarget {
  enum class Kind { none, service, instances, instance, select } kind = Kind::none;
  std::size_t service = 0;
  std::string instance;
};

class RegReader {
public:
  RegReader(std::string_view text, std::string source, IncludeResult &out)
      : lines_(text), source_(std::move(source)), out_(out), sink_(out.diagnostics) {}

  void run() {
    std::string line;
    int lineno = 0;
    bool header = false;
    KeyTarget target;
    bool in_key = false;
    while (lines_.next(line, lineno)) {
      const std::string_view t = trim(line);
      if (t.empty() || t.front() == ';')
        continue;
      const SourceLocation here = loc(lineno, line, t.data() - line.data());
      if (!header) {
        if (const auto utf16 = header_is_utf16(t)) {
          utf16_ = *utf16;
        } else {
          sink_.add(here, "reg-missing-header", not_a_reg_file);
          return;
        }
        header = true;
        continue;
      }
      if (t.front() == '[') {
        in_key = true;
        target = key_line(t, here);
        continue;
      }
      if (t.front() == '"' || t.front() == '@') {
        if (!in_key) {
          sink_.add(here, "reg-syntax", "a value line before any [key] line");
          continue;
        }
        value_line(line, t, lineno, target);
        continue;
      }
      sink_.add(here, "reg-syntax", line_not_understood);
    }
    if (!header) {
      sink_.add({source_, 0, 0}, "reg-missing-header", empty_reg_file);
      return;
    }
    finish();
  }

private:
  SourceLocation loc(int lineno, std::string_view line, std::ptrdiff_t offset) const {
    int col = 0;
    const auto end = static_cast<std::size_t>(offset);
    for (std::size_t i = 0; i <= end && i < line.size(); ++i)
      if ((static_cast<unsigned char>(line[i]) & 0xC0) != 0x80)
        ++col;
    if (end >= line.size())
      col = static_cast<int>(line.size()) + 1; // past the end (ASCII approximation)
    return {source_, lineno, col < 1 ? 1 : col};
  }

  KeyTarget key_line(std::string_view t, const SourceLocation &here) {
    KeyTarget none;
    if (t.back() != ']') {
      sink_.add(here, "reg-syntax", "a key line must end with ']'");
      return none;
    }
    std::string_view path = t.substr(1, t.size() - 2);
    const bool remove = !path.empty() && path.front() == '-';
    if (remove)
      path.remove_prefix(1);
    std::vector<std::string> c;
    std::size_t b = 0;
    for (std::size_t i = 0; i <= path.size(); ++i)
      if (i == path.size() || path[i] == '\\') {
        if (i > b)
          c.emplace_back(path.substr(b, i - b));
        b = i + 1;
      }
    if (c.size() == 3 && !remove &&
        (sim::iequals(c[0], "HKEY_LOCAL_MACHINE") || sim::iequals(c[0], "HKLM")) &&
        sim::iequals(c[2], "Select")) {
      KeyTarget k;
      k.kind = KeyTarget::Kind::select;
      return k;
    }
    // HKLM\<hive>\<control set>\Services\<svc>\...
    if (c.size() < 5 || !(sim::iequals(c[0], "HKEY_LOCAL_MACHINE") || sim::iequals(c[0], "HKLM")))
      return none;
    const std::string cs = sim::ascii_lower(c[2]);
    const bool control_set =
        cs == "currentcontrolset" || (cs.size() > 10 && cs.rfind("controlset", 0) == 0 &&
                                      cs.find_first_not_of("0123456789", 10) == std::string::npos);
    if (!control_set || !sim::iequals(c[3], "Services"))
      return none;
    const std::string &svc = c[4];
    std::vector<std::string> rest(c.begin() + 5, c.end());
    if (rest.size() >= 2 && sim::iequals(rest[0], "Parameters") &&
        sim::iequals(rest[1], "Instances"))
      rest.erase(rest.begin());
    const std::string key = cs + '\\' + sim::ascii_lower(svc);
    auto it = index_.find(key);
    if (remove) {
      if (it == index_.end())
        return none;
      ServiceRec &s = services_[it->second];
      if (rest.empty()) {
        s.removed = true;
        index_.erase(it);
      } else if (sim::iequals(rest[0], "Instances") && rest.size() == 1) {
        s.instances.clear();
        s.index.clear();
        s.default_instance.reset();
      } else if (sim::iequals(rest[0], "Instances") && rest.size() == 2) {
        s.remove_instance(rest[1]);
      }
      return none;
    }
    if (it == index_.end()) {
      if (services_.size() >= Limits{}.max_drivers) {
        if (!limit_reported_)
          sink_.add(here, "limit",
                    "more than " + std::to_string(Limits{}.max_drivers) +
                        " service keys; the rest are ignored");
        limit_reported_ = true;
        return none;
      }
      it = index_.emplace(key, services_.size()).first;
      services_.push_back({});
      services_.back().name = svc;
      services_.back().where = here;
      services_.back().control_set = cs;
    }
    KeyTarget k;
    k.service = it->second;
    if (rest.empty())
      k.kind = KeyTarget::Kind::service;
    else if (rest.size() == 1 && sim::iequals(rest[0], "Instances"))
      k.kind = KeyTarget::Kind::instances;
    else if (rest.size() == 2 && sim::iequals(rest[0], "Instances")) {
      k.kind = KeyTarget::Kind::instance;
      k.instance = rest[1];
    }
    return k;
  }

  void value_line(const std::string &line, std::string_view t, int lineno,
                  const KeyTarget &target) {
    const SourceLocation here = loc(lineno, line, t.data() - line.data());
    ValueLine vl = split_value_line(t);
    if (vl.error) {
      sink_.add(here, "reg-syntax", vl.error);
      return;
    }
    const std::string &name = vl.name;
    const std::size_t i = vl.data_at;
    if (target.kind == KeyTarget::Kind::none || vl.is_default) // '@': never one of ours
      return;
    const std::string n = sim::ascii_lower(name);
    if (target.kind == KeyTarget::Kind::select) {
      const RegData d = parse_data(t.substr(i));
      if (n == "current" || n == "default") {
        std::optional<std::uint32_t> v;
        if (d.kind == RegData::Kind::dword)
          v = d.dword;
        (n == "current" ? select_current_ : select_default_) = v;
      }
      return;
    }
    enum class V { start, type, tag, group, depends, default_instance, altitude, flags } what;
    if (target.kind == KeyTarget::Kind::service && n == "start")
      what = V::start;
    else if (target.kind == KeyTarget::Kind::service && n == "type")
      what = V::type;
    else if (target.kind == KeyTarget::Kind::service && n == "tag")
      what = V::tag;
    else if (target.kind == KeyTarget::Kind::service && n == "group")
      what = V::group;
    else if (target.kind == KeyTarget::Kind::service && n == "dependonservice")
      what = V::depends;
    else if (target.kind == KeyTarget::Kind::instances && n == "defaultinstance")
      what = V::default_instance;
    else if (target.kind == KeyTarget::Kind::instance && n == "altitude")
      what = V::altitude;
    else if (target.kind == KeyTarget::Kind::instance && n == "flags")
      what = V::flags;
    else
      return;
    const SourceLocation vloc = loc(lineno, line, t.data() + i - line.data());
    const RegData d = parse_data(t.substr(i));
    ServiceRec &s = services_[target.service];
    const std::string label = "\"" + name + "\" of service '" + s.name + "'";
    if (d.kind == RegData::Kind::invalid) {
      s.add(vloc, "reg-syntax", label + ": " + d.error);
      return;
    }
    const bool del = d.kind == RegData::Kind::remove;
    auto as_dword = [&]() -> std::optional<std::uint32_t> {
      if (d.kind == RegData::Kind::dword)
        return d.dword;
      if (d.kind == RegData::Kind::hex && d.hex_type == reg_dword && d.bytes.size() == 4)
        return std::uint32_t{d.bytes[0]} | (std::uint32_t{d.bytes[1]} << 8) |
               (std::uint32_t{d.bytes[2]} << 16) | (std::uint32_t{d.bytes[3]} << 24);
      s.add(vloc, "reg-bad-value", label + " must be a REG_DWORD (dword:XXXXXXXX)");
      return std::nullopt;
    };
    auto as_strings = [&](bool multi) -> std::optional<std::vector<std::string>> {
      if (d.kind == RegData::Kind::string)
        return std::vector<std::string>{d.text};
      if (d.kind == RegData::Kind::hex && (d.hex_type == reg_sz || d.hex_type == reg_expand_sz ||
                                           (multi && d.hex_type == reg_multi_sz))) {
        std::string why;
        auto v = decode_strings(d.bytes, utf16_, multi, &why);
        if (!v)
          s.add(vloc, "reg-bad-value", label + ": " + why);
        return v;
      }
      s.add(vloc, "reg-bad-value",
            label + (multi ? " must be a REG_MULTI_SZ (hex(7):...) or a string"
                           : " must be a string (\"text\")"));
      return std::nullopt;
    };
    auto as_string = [&]() -> std::optional<std::string> {
      auto v = as_strings(false);
      if (!v)
        return std::nullopt;
      return v->empty() ? std::string() : std::move(v->front());
    };
    switch (what) {
    case V::start:
      if (del) {
        s.start.reset();
      } else if (auto v = as_dword()) {
        if (*v > 4)
          s.add(vloc, "reg-bad-value",
                label + " is " + std::to_string(*v) +
                    "; expected 0 (boot), 1 (system), 2 (auto), 3 (demand) or 4 (disabled)");
        else
          s.start = *v;
      }
      break;
    case V::type:
      if (del)
        s.type.reset();
      else if (auto v = as_dword())
        s.type = *v;
      break;
    case V::tag:
      if (del)
        s.tag.reset();
      else if (auto v = as_dword())
        s.tag = *v;
      break;
    case V::group:
      if (del) {
        s.group.reset();
      } else if (auto v = as_string()) {
        if (v->empty())
          s.group.reset();
        else
          s.group = std::move(*v);
      }
      break;
    case V::depends:
      if (del)
        s.depends.clear();
      else if (auto v = as_strings(true))
        s.depends = std::move(*v);
      break;
    case V::default_instance:
      if (del)
        s.default_instance.reset();
      else if (auto v = as_string())
        s.default_instance = std::move(*v);
      break;
    case V::altitude:
      if (del) {
        if (InstanceRec *r = s.find(target.instance))
          r->altitude.reset();
      } else if (auto v = as_string()) {
        InstanceRec &r = s.instance(target.instance, vloc);
        r.altitude = std::move(*v);
        r.altitude_loc = vloc;
      }
      break;
    case V::flags:
      if (del) {
        if (InstanceRec *r = s.find(target.instance))
          r->flags.reset();
      } else if (auto v = as_dword()) {
        s.instance(target.instance, vloc).flags = *v;
      }
      break;
    }
  }

  // The control set a whole-machine import reads (docs/model.md#machine-import): the one
  // Select\Current names (Current = 0, a setup copy: Select\Default's, else ControlSet001).
  // Empty when the file has no Select key: every control set in it is read.
  [[nodiscard]] std::string chosen_control_set() const {
    if (!select_current_)
      return {};
    std::uint32_t n = *select_current_;
    if (n == 0)
      n = select_default_ && *select_default_ != 0 ? *select_default_ : 1;
    if (n > 999)
      return {};
    std::string name = std::to_string(n);
    return "controlset" + std::string(3 - std::min<std::size_t>(3, name.size()), '0') + name;
  }

  void finish() {
    const Limits limits;
    std::map<std::string, std::size_t> first; // service name -> drivers[]
    std::size_t left_out = 0;
    std::string why_left_out; // the first left-out service and its rule, for reg-no-service
    bool any = false;
    const std::string chosen = chosen_control_set();
    for (ServiceRec &s : services_) {
      if (s.removed)
        continue;
      if (!chosen.empty() && s.control_set != chosen && s.control_set != "currentcontrolset")
        continue; // another control set than the one the machine runs: import reads only it
      any = true;
      const std::string who = "service '" + s.name + "'";
      sim::Driver d;
      d.name = s.name;
      d.location = s.where;
      d.group = s.group;
      d.tag = s.tag;
      d.depends_on = s.depends;
      d.default_instance = s.default_instance;
      std::vector<sim::Diagnostic> instance_diags;
      for (const InstanceRec &r : s.instances) {
        if (!r.altitude) {
          instance_diags.push_back(machine::make_diag(r.first, "reg-missing-value",
                                                      "instance '" + r.name + "' of " + who +
                                                          " has no \"Altitude\" value"));
          continue;
        }
        sim::Diagnostic why;
        auto alt = sim::Altitude::parse(*r.altitude, &why);
        if (!alt) {
          instance_diags.push_back(
              machine::make_diag(r.altitude_loc, "invalid-altitude",
                                 "instance '" + r.name + "' of " + who + ": " + why.message));
          instance_diags.back().fact = why.fact;
          continue;
        }
        d.instances.push_back({r.name, *alt, r.flags.value_or(0), {}, r.altitude_loc});
      }
      machine::ServiceEvidence ev;
      ev.name = s.name;
      ev.type = s.type;
      ev.start = s.start;
      ev.group = s.group;
      ev.has_instances_key = !s.instances.empty() || s.default_instance.has_value();
      ev.instances_with_altitude = d.instances.size();
      ev.depends_on_fltmgr = std::any_of(s.depends.begin(), s.depends.end(), machine::is_fltmgr);
      const machine::KindDecision kind = machine::decide_service_kind(ev);
      if (!kind.is_driver()) {
        // Left out exactly as `fltsim import` leaves it out, and not talked about (its values'
        // problems do not matter to the stack, docs/model.md#kind-evidence), unless a value
        // that could not be read is why it has no Type or Start (K2): import warns about that
        // value too.
        if (kind.rule == machine::KindRule::k2_leftover)
          for (sim::Diagnostic &x : s.diags)
            sink_.add(std::move(x.location), std::move(x.code), std::move(x.message), x.fact);
        if (left_out++ == 0)
          why_left_out =
              who + " (docs/model.md#kind-evidence, " + machine::rule_id(kind.rule) + ")";
        continue;
      }
      const std::size_t errors_before = sink_.count();
      for (sim::Diagnostic &x : s.diags)
        sink_.add(std::move(x.location), std::move(x.code), std::move(x.message), x.fact);
      if (s.instances.size() > limits.max_instances_per_driver) {
        sink_.add(s.where, "limit",
                  who + " has " + std::to_string(s.instances.size()) + " instances; the limit is " +
                      std::to_string(limits.max_instances_per_driver));
        continue;
      }
      for (sim::Diagnostic &x : instance_diags)
        sink_.add(std::move(x.location), std::move(x.code), std::move(x.message), x.fact);
      d.start = static_cast<sim::StartType>(*s.start);
      if (kind.note && sink_.count() == errors_before)
        out_.notes.push_back(machine::make_note(s.where, *kind.note));
      d.kind = kind.kind == machine::ServiceKind::legacy ? sim::DriverKind::legacy
                                                         : sim::DriverKind::minifilter;
      if (d.kind == sim::DriverKind::legacy) {
        d.instances.clear();
        d.default_instance.reset();
      }
      if (sink_.count() != errors_before)
        continue;
      const std::string key = sim::ascii_lower(s.name);
      auto it = first.find(key);
      if (it == first.end()) {
        first.emplace(key, out_.drivers.size());
        out_.drivers.push_back(std::move(d));
      } else if (!machine::same_settings(out_.drivers[it->second], d)) {
        sink_.add(s.where, "reg-duplicate-service",
                  who +
                      " appears again (another control set) with different values; the "
                      "first, at " +
                      machine::where_text(out_.drivers[it->second].location) + ", is used",
                  sim::rule::duplicate_driver);
      }
    }
    if (!any)
      sink_.add({source_, 0, 0}, "reg-no-service",
                "no HKEY_LOCAL_MACHINE\\SYSTEM\\CurrentControlSet\\Services\\<name> key: the "
                "file describes no driver");
    else if (out_.drivers.empty() && left_out > 0 && sink_.count() == 0)
      sink_.add({source_, 0, 0}, "reg-no-service",
                "no filter among the " + std::to_string(left_out) +
                    " services of the file: a filter is a kernel or file system driver (Type 1 "
                    "or 2) with a Start value and an instance with an altitude or an FSFilter "
                    "group; for example " +
                    why_left_out + " is none");
  }

  LogicalLines lines_;
  std::string source_;
  IncludeResult &out_;
  machine::DiagSink sink_;
  bool utf16_ = true;
  bool limit_reported_ = false;
  std::vector<ServiceRec> services_;
  std::map<std::string, std::size_t> index_; // "controlset\service" (lower) -> services_[]
  std::optional<std::uint32_t> select_current_, select_default_; // Select\Current, \Default
};

} // namespace

IncludeResult parse_reg(std::string_view utf8_text, const std::string &source_name) {
  return detail::read_guarded<RegReader>(utf8_text, source_name, "the .reg file");
}

} // namespace fltsim::manifest
