// Minifilter INF reader. What it reads, in order:
//  1. Every section, case-insensitively (sections with the same name merge, as SetupAPI does),
//     and [Strings] (plus [Strings.<LangID>], which only fill keys [Strings] lacks: the
//     simulator has no locale). A [Version] section must exist.
//  2. Every [*.Services] section (DefaultInstall.Services, DefaultInstall.NTamd64.Services,
//     DefaultInstall.NT$ARCH$.10.0...25952.Services, or a DDInstall.Services) in file order, and
//     in it every `AddService = name, flags, service-install-section`. DelService is ignored.
//  3. The service-install section: ServiceType, StartType, LoadOrderGroup, Dependencies and its
//     AddReg sections. Other keys (DisplayName, ServiceBinary, ...) are not interpreted.
//  4. AddReg lines `root, subkey, value-name, flags, value` for the keys fltmgr reads: Instances
//     or Parameters\Instances (DefaultInstance) and <that>\<instance> (Altitude, Flags), written
//     wherever the install reaches them: HKR in the service-install section's AddReg, or an
//     absolute HKLM,"SYSTEM\CurrentControlSet\Services\<svc>\..." path (ControlSet001 etc.
//     too, case-insensitive) there or in the AddReg of the install section whose .Services
//     section adds the service (DefaultInstall, DefaultInstall.NTamd64, a DDInstall). The
//     install section's AddReg is applied first, then the service's (SetupAPI installs a
//     section's directives before its services). Later writes replace earlier ones
//     (FLG_ADDREG_NOCLOBBER and FLG_ADDREG_DELVAL are honoured).
// Each AddService'd kernel/file-system driver service is classified by machine::decide_service_kind
// (inf_reg_common.hpp, docs/model.md#kind-evidence): a minifilter or legacy filter becomes one
// sim::Driver; a file system is left out with a kind-evidence note, and a reading the evidence
// left open is noted the same way. An INF has no Tag (Windows assigns tags at install).
// %strkey% tokens are replaced in the fields the reader interprets (case-insensitive keys, %%
// is '%', numeric DIRIDs such as %13% stay as written); an undefined token there is an error,
// one in a line the reader does not interpret (Provider, DiskId, ...) is not looked at.
// Several AddService entries for one service (the WDK samples' current and "downlevel" install
// paths, or NTamd64/NTarm64 variants) are alternatives: when they describe the same settings the
// first is kept silently; when they differ the first is kept and the others are diagnosed.
// Dependencies entries that start with '+' are load order group dependencies and are skipped
// (sim::Driver only models DependOnService).
#include "fltsim/manifest/inf_reader.hpp"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "fltsim/machine/service_kind.hpp"
#include "fltsim/sim/groups.hpp"
#include "inf_lexer.hpp"

#include "reader_common.hpp"

namespace fltsim::manifest {

using sim::SourceLocation;

namespace {

using detail::InfLexer;
using detail::InfLine;
using detail::InfPos;
using detail::InfSpan;
using detail::InfSyntaxError;

// Registry AddReg flags (setupapi.h).
constexpr std::uint32_t flg_addreg_noclobber = 0x00000002;
constexpr std::uint32_t flg_addreg_delval = 0x00000004;
constexpr std::uint32_t flg_addreg_keyonly = 0x00000010;
constexpr std::uint32_t flg_addreg_overwriteonly = 0x00000020;
constexpr std::uint32_t flg_addreg_type_mask = 0xFFFF0001;
constexpr std::uint32_t flg_addreg_type_sz = 0x00000000;
constexpr std::uint32_t flg_addreg_type_expand_sz = 0x00020000;
constexpr std::uint32_t flg_addreg_type_dword = 0x00010001;

// The registry type an AddReg line's flags write (FLG_ADDREG_TYPE_*, Microsoft Learn "INF AddReg
// directive"), for messages.
std::string addreg_type_name(std::uint32_t type) {
  switch (type) {
  case 0x00000000:
    return "REG_SZ";
  case 0x00000001:
    return "REG_BINARY";
  case 0x00010000:
    return "REG_MULTI_SZ";
  case 0x00020000:
    return "REG_EXPAND_SZ";
  case 0x00010001:
    return "REG_DWORD";
  case 0x00020001:
    return "REG_NONE";
  default:
    return "registry type " + std::to_string(type >> 16);
  }
}

constexpr std::size_t max_sections = 100000;
constexpr std::size_t max_strings = 1000000;

struct Range {
  std::size_t begin = 0;
  std::size_t end = 0;
  int first_line = 1;
};

struct Section {
  std::string name; // as first written
  InfPos header;
  std::vector<Range> ranges;
};

struct StringEntry {
  std::string value;
  InfPos pos;
  bool localized = false; // from [Strings.<LangID>]
};

using detail::InstanceRec;

// What the AddReg sections of one service wrote to the keys fltmgr reads.
struct RegState {
  std::optional<std::string> default_instance;
  std::vector<InstanceRec> instances;
  std::map<std::string, std::size_t> index; // lower-case name -> instances[]

  InstanceRec &instance(const std::string &name, const SourceLocation &where) {
    const std::string key = sim::ascii_lower(name);
    auto it = index.find(key);
    if (it != index.end())
      return instances[it->second];
    index.emplace(key, instances.size());
    instances.push_back({name, where, std::nullopt, {}, std::nullopt});
    return instances.back();
  }
};

std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> out;
  std::size_t b = 0;
  for (std::size_t i = 0; i <= path.size(); ++i) {
    if (i == path.size() || path[i] == '\\') {
      std::string_view part = path.substr(b, i - b);
      while (!part.empty() && (part.front() == ' ' || part.front() == '\t'))
        part.remove_prefix(1);
      while (!part.empty() && (part.back() == ' ' || part.back() == '\t'))
        part.remove_suffix(1);
      if (!part.empty())
        out.emplace_back(part);
      b = i + 1;
    }
  }
  return out;
}

// "CurrentControlSet", or "ControlSet001" and the other numbered sets (case-insensitive).
bool is_control_set(std::string_view s) {
  if (sim::iequals(s, "CurrentControlSet"))
    return true;
  if (s.size() <= 10 || !sim::iequals(s.substr(0, 10), "ControlSet"))
    return false;
  return std::all_of(s.begin() + 10, s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

class InfReader {
public:
  InfReader(std::string_view text, std::string source, IncludeResult &out)
      : text_(text), source_(std::move(source)), out_(out), sink_(out.diagnostics) {}

  void run() {
    if (!scan())
      return;
    if (sections_.find("version") == sections_.end())
      diag(InfPos{1, 1}, "inf-missing-section",
           "no [Version] section: this is not an INF file (or it is truncated)");
    // Budget for re-reading sections in step 2-4: generous for any real INF, but bounded so
    // crafted cross references (many services sharing huge sections) cannot make it run for long.
    budget_ = 4 * static_cast<std::uint64_t>(total_lines_) + 100000;
    bool any_add_service = false;
    for (const std::string &key : order_) {
      if (aborted_)
        break;
      if (!ends_with(key, ".services"))
        continue;
      const Section &sec = sections_.at(key);
      // The install section this .Services section belongs to (DefaultInstall.NTamd64 for
      // DefaultInstall.NTamd64.Services): its AddReg may write the service's keys too.
      const Section *install = find_section(key.substr(0, key.size() - 9));
      for_each_line(sec, [&](const InfLine &l) {
        if (l.has_key && sim::iequals(l.text(l.key), "AddService")) {
          if (!install)
            // SetupAPI processes `<install section>.Services` only for an install section it
            // runs (the decorated one: DefaultInstall.NTamd64 -> DefaultInstall.NTamd64.Services):
            // with no [X], nothing reaches an AddService in [X.Services] (a real INF installs
            // [DefaultInstall.ntamd64] and keeps its AddService in [DefaultInstall.Services]).
            note(sec.header, "[" + sec.name + "] belongs to the install section [" +
                                 sec.name.substr(0, sec.name.size() - 9) +
                                 "], which this INF does not have: SetupAPI never processes "
                                 "it, so on Windows the services it adds are not installed; "
                                 "fltsim reads them as written");
          any_add_service = true;
          add_service(l, install);
        }
      });
    }
    if (aborted_)
      return;
    if (!any_add_service)
      diag(InfPos{0, 0}, "inf-no-service",
           "no AddService entry in any [DefaultInstall*.Services] section: the INF installs no "
           "driver service");
    else if (out_.drivers.empty() && built_any_ == 0 && skipped_ > 0 && classified_ == 0)
      diag(InfPos{0, 0}, "inf-no-service",
           "the INF adds no kernel or file system driver service (only ServiceType values that "
           "cannot be file system filters)");
  }

private:
  // ---- diagnostics --------------------------------------------------------------------------

  SourceLocation loc(InfPos p) const { return {source_, p.line, p.col}; }

  void diag(InfPos p, std::string code, std::string message, std::string_view fact = {}) {
    diag(loc(p), std::move(code), std::move(message), fact);
  }
  // A kind-evidence note (docs/model.md#kind-evidence): a fact about the reading, not an error.
  // Alternative install paths of one service say the same thing once.
  void note(InfPos p, std::string message) {
    const SourceLocation where = loc(p);
    if (!noted_.insert(message).second)
      return;
    if (out_.notes.size() < machine::DiagSink::max_diagnostics)
      out_.notes.push_back(machine::make_note(where, std::move(message)));
  }
  void diag(const SourceLocation &where, std::string code, std::string message,
            std::string_view fact = {}) {
    ++errors_;
    // The same line can be interpreted twice (a shared AddReg section); report it once.
    if (!reported_.insert({where.line, where.column, code}).second)
      return;
    sink_.add(where, std::move(code), std::move(message), fact);
  }

  // ---- step 1: sections and strings ---------------------------------------------------------

  bool scan() {
    if (text_.substr(0, 3) == "\xEF\xBB\xBF") // a BOM that decode_text did not remove
      body_offset_ = 3;
    InfLexer lx(text_, body_offset_, text_.size(), 1);
    InfLine l;
    std::vector<InfSyntaxError> errors;
    Section *cur = nullptr;
    bool cur_is_strings = false, cur_localized = false;
    bool skipping = false, orphan_reported = false;
    while (lx.next(l, &errors)) {
      ++total_lines_;
      for (InfSyntaxError &e : errors)
        if (e.is_error)
          diag(e.pos, "inf-syntax", std::move(e.message));
        else
          note(e.pos, std::move(e.message));
      errors.clear();
      if (l.blank)
        continue;
      if (l.header) {
        if (cur)
          cur->ranges.back().end = l.begin_offset;
        cur = nullptr;
        if (!l.header_ok) {
          skipping = true;
          continue;
        }
        skipping = false;
        const std::string name(l.text(l.name));
        const std::string key = sim::ascii_lower(name);
        auto it = sections_.find(key);
        if (it == sections_.end()) {
          if (sections_.size() >= max_sections) {
            diag(l.start, "limit",
                 "more than " + std::to_string(max_sections) + " sections; the INF is not read");
            return false;
          }
          it = sections_.emplace(key, Section{name, l.start, {}}).first;
          order_.push_back(key);
        }
        cur = &it->second;
        cur->ranges.push_back({lx.offset(), text_.size(), lx.line()});
        cur_is_strings = key == "strings" || key.rfind("strings.", 0) == 0;
        cur_localized = key != "strings";
        continue;
      }
      if (!cur) {
        if (!skipping && !orphan_reported) {
          orphan_reported = true;
          diag(l.start, "inf-syntax",
               "text before the first [section] header; INF entries belong to a section");
        }
        continue;
      }
      if (cur_is_strings)
        add_string(l, cur_localized);
    }
    return true;
  }

  void add_string(const InfLine &l, bool localized) {
    if (!l.has_key) {
      diag(l.start, "inf-syntax", "a [Strings] entry must be 'key = value'");
      return;
    }
    std::string value;
    for (std::size_t i = 0; i < l.fields.size(); ++i) {
      if (i)
        value += ',';
      value += l.text(l.fields[i]);
    }
    const std::string key = sim::ascii_lower(l.text(l.key));
    auto it = strings_.find(key);
    if (it == strings_.end()) {
      if (strings_.size() >= max_strings) {
        if (!strings_limit_reported_)
          diag(l.start, "limit",
               "more than " + std::to_string(max_strings) +
                   " [Strings] keys; the rest are ignored");
        strings_limit_reported_ = true;
        return;
      }
      strings_.emplace(key, StringEntry{std::move(value), l.key.pos, localized});
    } else if (it->second.localized && !localized) {
      it->second = StringEntry{std::move(value), l.key.pos, false};
    }
  }

  // ---- %strkey% substitution ----------------------------------------------------------------

  // Text of `s` with %strkey% tokens replaced. Undefined tokens and unpaired '%' are reported;
  // *ok becomes false then.
  std::string subst(const InfLine &l, const InfSpan &s, bool *ok) {
    std::string out;
    std::size_t i = s.begin;
    while (i < s.end) {
      const char c = l.chars[i];
      if (c != '%') {
        out += c;
        ++i;
        continue;
      }
      const unsigned char q = l.quoted[i];
      std::size_t j = i + 1;
      while (j < s.end && l.quoted[j] == q && l.chars[j] != '%' && l.chars[j] != ' ' &&
             l.chars[j] != '\t')
        ++j;
      if (j >= s.end || l.quoted[j] != q || l.chars[j] != '%') {
        diag(l.pos[i], "inf-syntax",
             "'%' starts a string token that is not closed on this line (write %% for a "
             "literal percent sign)");
        *ok = false;
        out += c;
        ++i;
        continue;
      }
      const std::string_view name = std::string_view(l.chars).substr(i + 1, j - i - 1);
      if (name.empty()) {
        out += '%'; // %% escape
      } else if (std::all_of(name.begin(), name.end(),
                             [](char ch) { return ch >= '0' && ch <= '9'; })) {
        out += '%'; // a DIRID such as %13% stays as written
        out += name;
        out += '%';
      } else if (auto it = strings_.find(sim::ascii_lower(name)); it != strings_.end()) {
        out += it->second.value;
      } else {
        std::string msg = "%";
        msg.append(name).append("% is not defined in a [Strings] section");
        diag(l.pos[i], "inf-undefined-string", std::move(msg));
        *ok = false;
        out += '%';
        out += name;
        out += '%';
      }
      i = j + 1;
    }
    return out;
  }

  std::string field(const InfLine &l, std::size_t k, bool *ok) {
    if (k >= l.fields.size())
      return {};
    return subst(l, l.fields[k], ok);
  }

  InfPos field_pos(const InfLine &l, std::size_t k) const {
    if (k < l.fields.size())
      return l.fields[k].pos;
    if (!l.pos.empty())
      return {l.pos.back().line, l.pos.back().col + 1};
    return l.start;
  }

  // ---- steps 2-4 ----------------------------------------------------------------------------

  template <class F> void for_each_line(const Section &sec, F &&fn) {
    InfLine l;
    for (const Range &r : sec.ranges) {
      InfLexer lx(text_, r.begin, r.end, r.first_line);
      while (lx.next(l, nullptr)) {
        if (aborted_)
          return;
        if (budget_ == 0) {
          aborted_ = true;
          diag(InfPos{0, 0}, "limit",
               "the INF's sections refer to each other so often that reading them would take too "
               "long; it is not processed further");
          return;
        }
        --budget_;
        if (!l.blank && !l.header)
          fn(l);
      }
    }
  }

  const Section *find_section(const std::string &name) const {
    auto it = sections_.find(sim::ascii_lower(name));
    return it == sections_.end() ? nullptr : &it->second;
  }

  void add_service(const InfLine &l, const Section *install_section) {
    bool ok = true;
    const std::string name = field(l, 0, &ok);
    const InfPos where = l.start;
    if (!ok)
      return;
    if (name.empty()) {
      diag(field_pos(l, 0), "inf-syntax",
           "AddService needs a service name: AddService = name, flags, install-section");
      return;
    }
    const std::string flags = field(l, 1, &ok);
    if (!flags.empty() && !machine::parse_uint(flags))
      diag(field_pos(l, 1), "inf-bad-value",
           "AddService flags '" + flags + "' of service '" + name + "' are not a number");
    const std::string install = field(l, 2, &ok);
    if (!ok)
      return;
    if (install.empty()) {
      diag(field_pos(l, 2), "inf-missing-section",
           "AddService for '" + name +
               "' names no service-install section (AddService = name, flags, install-section)");
      return;
    }
    const Section *sec = find_section(install);
    if (!sec) {
      diag(field_pos(l, 2), "inf-missing-section",
           "service-install section [" + install + "] of service '" + name + "' does not exist");
      return;
    }
    const std::string name_key = sim::ascii_lower(name);
    // The same service from the same sections (NTamd64 and NTarm64 variants): one read.
    if (!built_
             .insert(name_key + '\n' + sim::ascii_lower(install) + '\n' +
                     (install_section ? sim::ascii_lower(install_section->name) : std::string()))
             .second)
      return;
    const std::size_t errors_before = errors_;
    bool skipped = false;
    std::optional<sim::Driver> d = build_service(name, *sec, install_section, where, &skipped);
    if (skipped) {
      ++skipped_;
      return;
    }
    if (!d && errors_ == errors_before) {
      ++classified_; // a file system: left out, with a note
      return;
    }
    if (errors_ != errors_before)
      d.reset();
    if (d)
      ++built_any_;
    auto seen = first_.find(name_key);
    if (seen == first_.end()) {
      first_.emplace(name_key, d ? std::optional<std::size_t>(out_.drivers.size()) : std::nullopt);
      if (d)
        out_.drivers.push_back(std::move(*d));
      return;
    }
    if (!d || !seen->second)
      return;
    const sim::Driver &first = out_.drivers[*seen->second];
    if (!machine::same_settings(first, *d))
      diag(where, "inf-duplicate-service",
           "service '" + name + "' is added again with different settings (install section [" +
               install + "]); the first AddService, at " + machine::where_text(first.location) +
               ", is used",
           sim::rule::duplicate_driver);
  }

  std::optional<sim::Driver> build_service(const std::string &name, const Section &sec,
                                           const Section *install_section, InfPos where,
                                           bool *skipped) {
    std::optional<std::string> service_type, start_type, group;
    InfPos service_type_pos{}, start_type_pos{};
    std::vector<std::string> depends;
    std::vector<std::pair<std::string, InfPos>> addreg;
    bool have_group = false, have_deps = false, depends_on_fltmgr = false;
    for_each_line(sec, [&](const InfLine &l) {
      if (!l.has_key)
        return;
      const std::string key = sim::ascii_lower(l.text(l.key));
      bool ok = true;
      if (key == "servicetype" && !service_type) {
        service_type = field(l, 0, &ok);
        service_type_pos = field_pos(l, 0);
      } else if (key == "starttype" && !start_type) {
        start_type = field(l, 0, &ok);
        start_type_pos = field_pos(l, 0);
      } else if (key == "loadordergroup" && !have_group) {
        have_group = true;
        std::string g = field(l, 0, &ok);
        if (!g.empty())
          group = std::move(g);
      } else if (key == "dependencies" && !have_deps) {
        have_deps = true;
        for (std::size_t k = 0; k < l.fields.size(); ++k) {
          std::string dep = field(l, k, &ok);
          if (!dep.empty() && dep.front() != '+') { // '+Group' = DependOnGroup, not modelled
            depends_on_fltmgr = depends_on_fltmgr || machine::is_fltmgr(dep);
            depends.push_back(std::move(dep));
          }
        }
      } else if (key == "addreg") {
        for (std::size_t k = 0; k < l.fields.size(); ++k) {
          std::string s = field(l, k, &ok);
          if (!s.empty())
            addreg.emplace_back(std::move(s), field_pos(l, k));
        }
      }
    });
    if (aborted_)
      return std::nullopt;
    const std::string who = "service '" + name + "' ([" + sec.name + "])";
    std::optional<std::uint32_t> type;
    if (!service_type) {
      diag(sec.header, "inf-missing-value", who + " has no ServiceType");
    } else if (!(type = machine::parse_uint(*service_type))) {
      diag(service_type_pos, "inf-bad-value",
           "ServiceType '" + *service_type + "' of " + who + " is not a number");
    } else if (!machine::is_filter_service_type(*type)) {
      *skipped = true; // a user-mode service or recognizer: not part of the filter stack
      return std::nullopt;
    }
    sim::Driver d;
    d.name = name;
    d.location = loc(where);
    d.group = group;
    d.depends_on = std::move(depends);
    if (!start_type) {
      diag(sec.header, "inf-missing-value",
           who + " has no StartType (0 boot, 1 system, 2 auto, 3 demand, 4 disabled)");
    } else if (auto st = machine::parse_uint(*start_type, 4)) {
      d.start = static_cast<sim::StartType>(*st);
    } else {
      diag(start_type_pos, "inf-bad-value",
           "StartType '" + *start_type + "' of " + who +
               " is not one of 0 (boot), 1 (system), 2 (auto), 3 (demand), 4 (disabled)");
    }
    RegState reg;
    // The install section's AddReg first (absolute HKLM paths only: its HKR is another key),
    // then the service's. A section missing there is not looked for: it holds the product's
    // other settings, which this reader does not interpret.
    if (install_section)
      for_each_line(*install_section, [&](const InfLine &l) {
        if (!l.has_key || !sim::iequals(l.text(l.key), "AddReg"))
          return;
        for (std::size_t k = 0; k < l.fields.size(); ++k) {
          bool ok = true;
          const std::string sname = field(l, k, &ok);
          if (!ok || sname.empty())
            continue;
          if (const Section *rs = find_section(sname))
            for_each_line(*rs, [&](const InfLine &r) { add_reg_line(r, name, reg, false); });
        }
      });
    for (const auto &[sname, pos] : addreg) {
      const Section *rs = find_section(sname);
      if (!rs) {
        diag(pos, "inf-missing-section",
             "AddReg section [" + sname + "] of " + who + " does not exist");
        continue;
      }
      for_each_line(*rs, [&](const InfLine &l) { add_reg_line(l, name, reg, true); });
    }
    if (aborted_)
      return std::nullopt;
    const Limits limits;
    if (reg.instances.size() > limits.max_instances_per_driver) {
      diag(where, "limit",
           who + " has " + std::to_string(reg.instances.size()) + " instances; the limit is " +
               std::to_string(limits.max_instances_per_driver));
      return std::nullopt;
    }
    for (const InstanceRec &r : reg.instances) {
      if (!r.altitude) {
        diag(r.first, "inf-missing-value",
             "instance '" + r.name + "' of " + who + " has no Altitude value (its Instances\\" +
                 r.name + " key needs one)");
        continue;
      }
      sim::Diagnostic why;
      auto alt = sim::Altitude::parse(*r.altitude, &why);
      if (!alt) {
        diag(r.altitude_loc, "invalid-altitude",
             "instance '" + r.name + "' of " + who + ": " + why.message, why.fact);
        continue;
      }
      d.instances.push_back({r.name, *alt, r.flags.value_or(0), {}, r.altitude_loc});
    }
    d.default_instance = reg.default_instance;
    machine::ServiceEvidence ev;
    ev.name = name;
    ev.type = type;
    ev.start = static_cast<std::uint32_t>(d.start); // a missing StartType is an error above
    ev.group = d.group;
    ev.has_instances_key = !reg.instances.empty() || reg.default_instance.has_value();
    ev.instances_with_altitude = d.instances.size();
    ev.depends_on_fltmgr = depends_on_fltmgr;
    const machine::KindDecision kind = machine::decide_service_kind(ev);
    if (kind.is_driver()) {
      d.kind = kind.kind == machine::ServiceKind::legacy ? sim::DriverKind::legacy
                                                         : sim::DriverKind::minifilter;
      // INF-only (docs/model.md#kind-evidence): in an INF, minifilter evidence without an
      // altitude still makes a minifilter, one that cannot register (missing-default-instance).
      if (d.kind == sim::DriverKind::legacy && (ev.depends_on_fltmgr || ev.has_instances_key)) {
        d.kind = sim::DriverKind::minifilter;
        note(where, who + " is in the filter group \"" + *d.group + "\" but " +
                        (ev.depends_on_fltmgr ? "depends on FltMgr" : "has an Instances key") +
                        " without an instance with an altitude: read as a minifilter that "
                        "cannot register unless something else writes its instances "
                        "(docs/model.md#kind-evidence, INF-only rule)");
      } else if (kind.note) {
        note(where, *kind.note);
      }
      return d;
    }
    if (kind.rule == machine::KindRule::k8_no_evidence && d.group &&
        sim::iequals(*d.group, "Filter")) {
      // INF-only: an INF that installs a kernel driver into the group Filter and nothing else
      // is read as it was written for, a legacy filter (before Windows XP filters could use only
      // the Filter and file system groups); on a machine CLFS shows the group holds others too.
      note(where, who + " is in the group \"Filter\" with ServiceType " +
                      (type ? std::to_string(*type) : std::string("unset")) +
                      ", no Instances key and no dependency on FltMgr: read as a legacy filter "
                      "(docs/model.md#kind-evidence, INF-only rule)");
      d.kind = sim::DriverKind::legacy;
      return d;
    }
    switch (kind.rule) {
    case machine::KindRule::k7_cannot_attach:
    case machine::KindRule::k8_no_evidence:
      // INF-only: the INF installs the driver the user asked about; read it as a minifilter
      // whose instances the INF does not declare, and let the engine say what happens to it.
      note(where,
           who +
               (kind.rule == machine::KindRule::k7_cannot_attach
                    ? std::string(" depends on FltMgr or has an Instances key but declares no "
                                  "instance with an altitude")
                    : " has no Instances key, no dependency on FltMgr and " +
                          (d.group ? "the group \"" + *d.group + "\", which is not a filter group"
                                   : std::string("no load order group"))) +
               ": read as a minifilter whose instances the INF does not declare (if an "
               "application writes them at run time, suppress missing-default-instance for it; "
               "docs/model.md#kind-evidence, INF-only rule)");
      d.kind = sim::DriverKind::minifilter;
      return d;
    case machine::KindRule::k5_file_system:
      note(where, who + " is in the \"" + *d.group +
                      "\" group: a file system, not a filter; it is left out of the filter stack "
                      "(docs/model.md#kind-evidence, K5)");
      return std::nullopt;
    default:
      return std::nullopt;
    }
  }

  // One AddReg line: root, subkey, value-name, flags, value. `hkr_is_service`: the line belongs
  // to the service-install section, where HKR is the service key.
  void add_reg_line(const InfLine &l, const std::string &service, RegState &reg,
                    bool hkr_is_service) {
    if (l.has_key) {
      diag(l.start, "inf-syntax",
           "an AddReg entry is 'reg-root, subkey, value-name, flags, value', not 'key = value'");
      return;
    }
    bool ok = true;
    const std::string root = sim::ascii_lower(field(l, 0, &ok));
    if (!ok || (root != "hklm" && (root != "hkr" || !hkr_is_service)))
      return;
    std::vector<std::string> path = split_path(field(l, 1, &ok));
    if (!ok)
      return;
    if (root == "hklm") {
      // HKLM,"SYSTEM\CurrentControlSet\Services\<svc>\..." (or ControlSet001, ...): the
      // same key as the service's HKR.
      if (path.size() < 4 || !sim::iequals(path[0], "SYSTEM") || !is_control_set(path[1]) ||
          !sim::iequals(path[2], "Services") || !sim::iequals(path[3], service))
        return;
      path.erase(path.begin(), path.begin() + 4);
    }
    if (path.size() >= 2 && sim::iequals(path[0], "Parameters") &&
        sim::iequals(path[1], "Instances"))
      path.erase(path.begin());
    if (path.empty() || path.size() > 2 || !sim::iequals(path[0], "Instances"))
      return;
    const std::string value_name = sim::ascii_lower(field(l, 2, &ok));
    if (!ok)
      return;
    const bool on_instances_key = path.size() == 1;
    enum class What { default_instance, altitude, flags } what;
    if (on_instances_key && value_name == "defaultinstance")
      what = What::default_instance;
    else if (!on_instances_key && value_name == "altitude")
      what = What::altitude;
    else if (!on_instances_key && value_name == "flags")
      what = What::flags;
    else
      return;
    const std::string flags_text = field(l, 3, &ok);
    std::uint32_t flags = 0;
    if (!flags_text.empty()) {
      auto f = machine::parse_uint(flags_text);
      if (!f) {
        diag(field_pos(l, 3), "inf-bad-value",
             "AddReg flags '" + flags_text + "' are not a number");
        return;
      }
      flags = *f;
    }
    if (flags & flg_addreg_keyonly)
      return;
    const std::uint32_t type = flags & flg_addreg_type_mask;
    const bool del = (flags & flg_addreg_delval) != 0;
    const bool is_string = type == flg_addreg_type_sz || type == flg_addreg_type_expand_sz;
    const std::string value_label = on_instances_key
                                        ? std::string("DefaultInstance")
                                        : (what == What::altitude ? "Altitude" : "Flags") +
                                              std::string(" of instance '") + path[1] + "'";
    if (!del && what != What::flags && !is_string) {
      diag(field_pos(l, 3), "inf-bad-value",
           value_label + " of service '" + service + "' is written as " + addreg_type_name(type) +
               "; it must be a string (flags 0x00000000, REG_SZ): fltmgr cannot read it otherwise");
      return;
    }
    if (!del && what == What::flags && type != flg_addreg_type_dword) {
      // Windows installs the INF and the instance still registers with its Altitude; the Flags
      // value is just not a DWORD. Read as no Flags (0), said, rather than dropping the driver.
      note(field_pos(l, 3), value_label + " of service '" + service + "' is written as " +
                                addreg_type_name(type) +
                                ", not REG_DWORD (flags 0x00010001): Filter Manager reads "
                                "instance flags as a DWORD, so the instance is read with no "
                                "Flags (0)");
      return;
    }
    const std::string value = field(l, 4, &ok);
    if (!ok)
      return;
    const InfPos vpos = field_pos(l, 4);
    auto applies = [&](bool exists) {
      if ((flags & flg_addreg_noclobber) && exists)
        return false;
      if ((flags & flg_addreg_overwriteonly) && !exists)
        return false;
      return true;
    };
    if (what == What::default_instance) {
      if (del)
        reg.default_instance.reset();
      else if (applies(reg.default_instance.has_value()))
        reg.default_instance = value;
      return;
    }
    InstanceRec &inst = reg.instance(path[1], loc(vpos));
    if (what == What::altitude) {
      if (del) {
        inst.altitude.reset();
      } else if (applies(inst.altitude.has_value())) {
        inst.altitude = value;
        inst.altitude_loc = loc(vpos);
      }
      return;
    }
    if (del) {
      inst.flags.reset();
      return;
    }
    if (!applies(inst.flags.has_value()))
      return;
    auto v = machine::parse_uint(value);
    if (!v) {
      diag(vpos, "inf-bad-value",
           value_label + " of service '" + service + "' is '" + value +
               "', not a number (0x1 = no automatic attach, 0x2 = no manual attach)");
      return;
    }
    inst.flags = *v;
  }

  std::string_view text_;
  std::string source_;
  IncludeResult &out_;
  machine::DiagSink sink_;
  std::set<std::tuple<int, int, std::string>> reported_;
  std::set<std::string> noted_; // kind-evidence notes already given
  std::size_t errors_ = 0;      // every problem found, including repeats not reported again
  std::size_t body_offset_ = 0;
  std::size_t total_lines_ = 0;
  std::uint64_t budget_ = 0;
  bool aborted_ = false;
  bool strings_limit_reported_ = false;
  std::unordered_map<std::string, Section> sections_;
  std::vector<std::string> order_; // section keys in file order
  std::unordered_map<std::string, StringEntry> strings_;
  std::set<std::string> built_; // "service\ninstall-section" already read
  std::map<std::string, std::optional<std::size_t>> first_; // service -> drivers[] (if built)
  std::size_t built_any_ = 0;
  std::size_t skipped_ = 0;
  std::size_t classified_ = 0; // services left out by the kind decision (noted)
};

} // namespace

IncludeResult parse_inf(std::string_view utf8_text, const std::string &source_name) {
  return detail::read_guarded<InfReader>(utf8_text, source_name, "the INF");
}

} // namespace fltsim::manifest
