// Fast JSON scenario reader (fleet_json.hpp). Every `return std::nullopt` means "let the YAML
// reader decide": it is never a verdict on the input.
#include "fleet_json.hpp"

#include <algorithm>
#include <charconv>
#include <set>

#include "fltsim/sim/groups.hpp"

namespace fltsim::fleet::detail {

namespace {

struct JMember;

struct JVal {
  enum class T : std::uint8_t { str, num, boolean, null, arr, obj } t = T::null;
  std::string s; // str: decoded; num / boolean: the raw text (YAML's scalar text)
  std::vector<JVal> items;
  std::vector<JMember> members; // std::pair<std::string, JVal> would need JVal complete here

  std::size_t pos = 0;
  [[nodiscard]] bool scalar() const { return t == T::str || t == T::num || t == T::boolean; }
  [[nodiscard]] const JVal *get(std::string_view k) const;
};

struct JMember {
  std::string first; // the key
  JVal second;
};

const JVal *JVal::get(std::string_view k) const {
  for (const auto &[key, v] : members)
    if (key == k)
      return &v;
  return nullptr;
}

class Parser {
public:
  explicit Parser(std::string_view s) : s_(s) {}
  bool parse(JVal &out) {
    if (!value(out, 0))
      return false;
    ws();
    return p_ == s_.size();
  }

private:
  std::string_view s_;
  std::size_t p_ = 0;
  void ws() {
    while (p_ < s_.size() && (s_[p_] == ' ' || s_[p_] == '\t'))
      ++p_;
  }
  bool string(std::string &out) {
    ++p_; // '"'
    while (p_ < s_.size()) {
      const char c = s_[p_++];
      if (c == '"')
        return true;
      if (static_cast<unsigned char>(c) < 0x20)
        return false;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (p_ >= s_.size())
        return false;
      switch (s_[p_++]) {
      case '"':
        out += '"';
        break;
      case '\\':
        out += '\\';
        break;
      case '/':
        out += '/';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'n':
        out += '\n';
        break;
      case 'r':
        out += '\r';
        break;
      case 't':
        out += '\t';
        break;
      default:
        return false; // \u and anything else: the YAML reader
      }
    }
    return false;
  }
  bool value(JVal &v, int depth) {
    ws();
    if (p_ >= s_.size() || depth > 32)
      return false;
    v.pos = p_;
    const char c = s_[p_];
    if (c == '"') {
      v.t = JVal::T::str;
      return string(v.s);
    }
    if (c == '{') {
      v.t = JVal::T::obj;
      ++p_;
      ws();
      if (p_ < s_.size() && s_[p_] == '}')
        return ++p_, true;
      while (true) {
        ws();
        if (p_ >= s_.size() || s_[p_] != '"')
          return false;
        std::string key;
        if (!string(key))
          return false;
        ws();
        if (p_ >= s_.size() || s_[p_] != ':')
          return false;
        ++p_;
        for (const auto &m : v.members)
          if (m.first == key)
            return false; // duplicate key
        v.members.push_back({std::move(key), JVal{}});
        if (!value(v.members.back().second, depth + 1))
          return false;
        ws();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < s_.size() && s_[p_] == '}')
          return ++p_, true;
        return false;
      }
    }
    if (c == '[') {
      v.t = JVal::T::arr;
      ++p_;
      ws();
      if (p_ < s_.size() && s_[p_] == ']')
        return ++p_, true;
      while (true) {
        v.items.emplace_back();
        if (!value(v.items.back(), depth + 1))
          return false;
        ws();
        if (p_ < s_.size() && s_[p_] == ',') {
          ++p_;
          continue;
        }
        if (p_ < s_.size() && s_[p_] == ']')
          return ++p_, true;
        return false;
      }
    }
    const std::size_t start = p_;
    while (p_ < s_.size() && std::string_view(",}] \t").find(s_[p_]) == std::string_view::npos)
      ++p_;
    const std::string_view word = s_.substr(start, p_ - start);
    if (word == "null") {
      v.t = JVal::T::null;
      return true;
    }
    if (word == "true" || word == "false") {
      v.t = JVal::T::boolean;
      v.s = word;
      return true;
    }
    // A JSON number: -?digits[.digits][e[+-]digits]
    std::size_t i = 0;
    auto digits = [&] {
      const std::size_t b = i;
      while (i < word.size() && word[i] >= '0' && word[i] <= '9')
        ++i;
      return i > b;
    };
    if (i < word.size() && word[i] == '-')
      ++i;
    if (!digits())
      return false;
    if (i < word.size() && word[i] == '.') {
      ++i;
      if (!digits())
        return false;
    }
    if (i < word.size() && (word[i] == 'e' || word[i] == 'E')) {
      ++i;
      if (i < word.size() && (word[i] == '+' || word[i] == '-'))
        ++i;
      if (!digits())
        return false;
    }
    if (i != word.size())
      return false;
    v.t = JVal::T::num;
    v.s = word;
    return true;
  }
};

bool only_keys(const JVal &v, std::initializer_list<std::string_view> allowed) {
  for (const auto &[k, x] : v.members)
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end())
      return false;
  return true;
}

bool is_null(const JVal *v) {
  return !v || v->t == JVal::T::null;
}

std::optional<std::uint64_t> uint_of(const JVal &v, std::uint64_t max) {
  if (!v.scalar())
    return std::nullopt;
  std::string_view t = v.s;
  int base = 10;
  if (t.size() > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'X')) {
    base = 16;
    t.remove_prefix(2);
  }
  std::uint64_t x = 0;
  auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), x, base);
  if (t.empty() || ec != std::errc() || p != t.data() + t.size() || x > max)
    return std::nullopt;
  return x;
}

// string_list(): a scalar is a one-entry list (an empty one none); entries must be non-empty.
std::optional<std::vector<std::string>> names_of(const JVal &v) {
  std::vector<std::string> out;
  if (v.scalar()) {
    if (!v.s.empty())
      out.push_back(v.s);
    return out;
  }
  if (v.t != JVal::T::arr)
    return std::nullopt;
  for (const JVal &i : v.items) {
    if (!i.scalar() || i.s.empty())
      return std::nullopt;
    out.push_back(i.s);
  }
  return out;
}

std::optional<sim::Driver> driver_of(const JVal &n, const sim::SourceLocation &at) {
  if (n.t != JVal::T::obj || !only_keys(n, {"name", "kind", "group", "start", "tag", "depends_on",
                                            "altitude", "instances", "default_instance"}))
    return std::nullopt;
  sim::Driver d;
  d.location = at;
  const JVal *name = n.get("name");
  if (!name || !name->scalar() || name->s.empty())
    return std::nullopt;
  d.name = name->s;
  if (const JVal *k = n.get("kind")) {
    if (!k->scalar())
      return std::nullopt;
    auto kind = sim::parse_driver_kind(k->s);
    if (!kind)
      return std::nullopt;
    d.kind = *kind;
  }
  if (const JVal *g = n.get("group"); !is_null(g)) {
    if (!g->scalar())
      return std::nullopt;
    if (!g->s.empty())
      d.group = g->s;
  }
  const JVal *start = n.get("start");
  if (!start || !start->scalar())
    return std::nullopt;
  auto st = sim::parse_start_type(start->s);
  if (!st)
    return std::nullopt;
  d.start = *st;
  if (const JVal *t = n.get("tag"); !is_null(t)) {
    auto v = uint_of(*t, 0xFFFFFFFFull);
    if (!v)
      return std::nullopt;
    d.tag = static_cast<std::uint32_t>(*v);
  }
  if (const JVal *dep = n.get("depends_on"); !is_null(dep)) {
    auto v = names_of(*dep);
    if (!v)
      return std::nullopt;
    d.depends_on = std::move(*v);
  }
  std::optional<sim::Altitude> alt;
  const JVal *alt_node = n.get("altitude");
  if (!is_null(alt_node)) {
    if (!alt_node->scalar())
      return std::nullopt;
    alt = sim::Altitude::parse(alt_node->s, static_cast<sim::Diagnostic *>(nullptr));
    if (!alt)
      return std::nullopt;
  }
  const JVal *inst_node = n.get("instances");
  if (!is_null(inst_node)) {
    if (inst_node->t != JVal::T::arr || inst_node->items.size() > 1024)
      return std::nullopt;
    for (const JVal &in : inst_node->items) {
      if (in.t != JVal::T::obj || !only_keys(in, {"name", "altitude", "flags", "attach"}))
        return std::nullopt;
      const JVal *iname = in.get("name");
      const JVal *ialt = in.get("altitude");
      if (!iname || !iname->scalar() || iname->s.empty() || !ialt || !ialt->scalar())
        return std::nullopt;
      auto a = sim::Altitude::parse(ialt->s, static_cast<sim::Diagnostic *>(nullptr));
      if (!a)
        return std::nullopt;
      sim::Instance inst{iname->s, *a, 0, {}, {at.file, at.line, at.column}};
      inst.location.column = at.column + static_cast<int>(in.pos - n.pos);
      if (const JVal *f = in.get("flags"); !is_null(f)) {
        auto v = uint_of(*f, 0xFFFFFFFFull);
        if (!v)
          return std::nullopt;
        inst.flags = static_cast<std::uint32_t>(*v);
      }
      if (const JVal *att = in.get("attach"); !is_null(att)) {
        auto v = names_of(*att);
        if (!v)
          return std::nullopt;
        inst.attach = std::move(*v);
      }
      d.instances.push_back(std::move(inst));
    }
  }
  const JVal *def_node = n.get("default_instance");
  if (!is_null(def_node)) {
    if (!def_node->scalar() || def_node->s.empty())
      return std::nullopt;
    d.default_instance = def_node->s;
  }
  if (d.kind == sim::DriverKind::legacy) {
    if (!is_null(alt_node) || !is_null(inst_node) || !is_null(def_node))
      return std::nullopt; // legacy-altitude / legacy-instances
  } else if (d.instances.empty() && is_null(inst_node)) {
    if (!alt)
      return std::nullopt; // missing-key
    sim::SourceLocation l = at;
    l.column = at.column + static_cast<int>(alt_node->pos - n.pos);
    d.instances.push_back({d.name + " Instance", *alt, 0, {}, l});
    if (!d.default_instance)
      d.default_instance = d.instances.back().name;
  } else if (!d.instances.empty() && !d.default_instance) {
    const sim::Instance *pick = &d.instances.front();
    if (alt)
      for (const sim::Instance &i : d.instances)
        if (i.altitude == *alt) {
          pick = &i;
          break;
        }
    d.default_instance = pick->name;
  }
  if (alt && !d.instances.empty() && d.kind != sim::DriverKind::legacy)
    if (const sim::Instance *def = d.find_default_instance(); def && !(def->altitude == *alt))
      return std::nullopt; // altitude-mismatch
  return d;
}

} // namespace

std::optional<sim::Scenario>
read_scenario_json_fast(std::string_view text, const std::string &source, int line, int column0) {
  JVal root;
  if (!Parser(text).parse(root) || root.t != JVal::T::obj ||
      !only_keys(root, {"scenario", "service_group_order", "group_order_list", "drivers", "events",
                        "volumes"}))
    return std::nullopt;
  sim::Scenario sc;
  if (const JVal *t = root.get("scenario")) {
    if (!t->scalar())
      return std::nullopt;
    sc.title = t->s;
  }
  if (const JVal *g = root.get("service_group_order")) {
    auto v = names_of(*g);
    if (!v)
      return std::nullopt;
    sc.service_group_order = std::move(*v);
  }
  if (const JVal *g = root.get("group_order_list")) {
    if (g->t != JVal::T::obj)
      return std::nullopt;
    for (const auto &[group, tags] : g->members) {
      if (tags.t != JVal::T::arr)
        return std::nullopt;
      std::vector<std::uint32_t> list;
      for (const JVal &t : tags.items) {
        auto v = uint_of(t, 0xFFFFFFFFull);
        if (!v)
          return std::nullopt;
        list.push_back(static_cast<std::uint32_t>(*v));
      }
      sc.group_order_list.emplace(group, std::move(list));
    }
  }
  if (const JVal *v = root.get("volumes")) {
    auto names = names_of(*v);
    if (!names)
      return std::nullopt;
    sc.volumes = std::move(*names);
  }
  if (const JVal *ds = root.get("drivers"); !is_null(ds)) {
    if (ds->t != JVal::T::arr || ds->items.size() > 200000)
      return std::nullopt;
    sc.drivers.reserve(ds->items.size());
    for (const JVal &dn : ds->items) {
      auto d = driver_of(dn, {source, line, column0 + static_cast<int>(dn.pos) + 1});
      if (!d)
        return std::nullopt;
      sc.drivers.push_back(std::move(*d));
    }
  }
  if (const JVal *ev = root.get("events"); !is_null(ev)) {
    if (ev->t != JVal::T::arr)
      return std::nullopt;
    for (const JVal &e : ev->items) {
      if (e.t != JVal::T::obj || e.members.size() != 1)
        return std::nullopt;
      const auto &[key, val] = e.members.front();
      sim::Event event;
      if (key == "load")
        event.kind = sim::Event::Kind::load;
      else if (key == "unload")
        event.kind = sim::Event::Kind::unload;
      else
        return std::nullopt;
      if (!val.scalar() || val.s.empty())
        return std::nullopt;
      event.driver = val.s;
      event.location = {source, line, column0 + static_cast<int>(e.pos) + 1};
      sc.events.push_back(std::move(event));
    }
  }
  return sc;
}

} // namespace fltsim::fleet::detail
