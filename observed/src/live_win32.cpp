// this_machine_filter_manager() on Windows (fltsim/observed/live.hpp): Filter Manager through
// fltlib, FilterManager event 6 through wevtapi. Both DLLs are loaded when asked
// (LoadLibraryExW from System32, GetProcAddress), not linked: wine has no FilterFindFirst, and a
// machine that lacks one still gets the rest of its snapshot, with the reason in `unread`.
// Nothing here needs administrator rights beyond what Filter Manager itself demands:
// FilterFindFirst is refused (E_ACCESSDENIED) to a user without SeLoadDriverPrivilege, and that
// refusal is what `unread` says.
#ifndef NOMINMAX
#define NOMINMAX
#endif
#include <windows.h>

#include <fltuser.h>
#include <winevt.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "fltsim/io/platform.hpp"
#include "fltsim/observed/live.hpp"

namespace fltsim::observed {

namespace {

// The buffer each Find call fills; a record that does not fit is asked again with its size.
constexpr DWORD kBuffer = 64 * 1024;
// Enough for any real machine, and a bound for a broken one.
constexpr int kMaxRecords = 100000;

std::string hresult_text(HRESULT hr) {
  return io::system_error_text(static_cast<long>(HRESULT_CODE(hr))) + " (HRESULT 0x" + [&] {
    char buf[9];
    std::snprintf(buf, sizeof buf, "%08lx", static_cast<unsigned long>(hr));
    return std::string(buf);
  }() + ")";
}

// A UTF-16 string of `bytes` bytes at `offset` from `base`.
std::string text_at(const void *base, USHORT offset, USHORT bytes) {
  const auto *p = reinterpret_cast<const wchar_t *>(static_cast<const char *>(base) + offset);
  return io::utf8_from_wide(std::wstring_view(p, bytes / sizeof(wchar_t)));
}

// A system DLL loaded on demand. Under wine it is not loaded at all: wine 8's fltlib.dll and
// wevtapi.dll export stubs that raise an exception when called (GetProcAddress finds them), so
// asking them would end the process instead of saying what could not be read.
class Library {
public:
  explicit Library(const wchar_t *name)
      : module_(io::running_under_wine()
                    ? nullptr
                    : LoadLibraryExW(name, nullptr, LOAD_LIBRARY_SEARCH_SYSTEM32)) {}
  ~Library() {
    if (module_)
      FreeLibrary(module_);
  }
  Library(const Library &) = delete;
  Library &operator=(const Library &) = delete;
  [[nodiscard]] bool loaded() const { return module_ != nullptr; }
  /// What `unread` says when a function is missing: the DLL, and why it was not asked.
  [[nodiscard]] static std::string missing(const std::string &dll, const std::string &function) {
    if (io::running_under_wine())
      return "running under wine, whose " + dll + " has only stubs (no " + function + ")";
    return dll + " has no " + function + " here";
  }
  template <class F> F get(const char *name) const {
    return module_ ? reinterpret_cast<F>(reinterpret_cast<void *>(GetProcAddress(module_, name)))
                   : nullptr;
  }

private:
  HMODULE module_;
};

class ThisMachine final : public FilterManagerSource {
public:
  ThisMachine() : fltlib_(L"fltlib.dll"), wevtapi_(L"wevtapi.dll") {}

  std::vector<LiveFilter> filters(std::vector<std::string> &unread) override {
    std::vector<LiveFilter> out;
    auto first = fltlib_.get<decltype(&FilterFindFirst)>("FilterFindFirst");
    auto next = fltlib_.get<decltype(&FilterFindNext)>("FilterFindNext");
    auto close = fltlib_.get<decltype(&FilterFindClose)>("FilterFindClose");
    if (!first || !next || !close) {
      unread.push_back("the Filter Manager's filters: " +
                       Library::missing("fltlib.dll", "FilterFindFirst"));
      return out;
    }
    std::vector<unsigned char> buf(kBuffer);
    HANDLE find = INVALID_HANDLE_VALUE;
    DWORD got = 0;
    HRESULT hr = first(FilterAggregateStandardInformation, buf.data(), kBuffer, &got, &find);
    for (int n = 0; SUCCEEDED(hr) && n < kMaxRecords; ++n) {
      const auto *e = reinterpret_cast<const FILTER_AGGREGATE_STANDARD_INFORMATION *>(buf.data());
      LiveFilter f;
      if (e->Flags & FLTFL_ASI_IS_LEGACYFILTER) {
        const auto &l = e->Type.LegacyFilter;
        f.legacy = true;
        f.name = text_at(e, l.FilterNameBufferOffset, l.FilterNameLength);
        f.altitude = text_at(e, l.FilterAltitudeBufferOffset, l.FilterAltitudeLength);
      } else {
        const auto &m = e->Type.MiniFilter;
        f.name = text_at(e, m.FilterNameBufferOffset, m.FilterNameLength);
        f.altitude = text_at(e, m.FilterAltitudeBufferOffset, m.FilterAltitudeLength);
        f.frame = static_cast<int>(m.FrameID);
        f.instances = static_cast<int>(m.NumberOfInstances);
      }
      out.push_back(std::move(f));
      hr = next(find, FilterAggregateStandardInformation, buf.data(), kBuffer, &got);
    }
    if (find != INVALID_HANDLE_VALUE)
      close(find);
    if (hr != HRESULT_FROM_WIN32(ERROR_NO_MORE_ITEMS))
      unread.push_back("the Filter Manager's filters: FilterFindFirst/FilterFindNext: " +
                       hresult_text(hr));
    return out;
  }

  std::vector<LiveInstance> instances(std::vector<std::string> &unread) override {
    std::vector<LiveInstance> out;
    auto first = fltlib_.get<decltype(&FilterInstanceFindFirst)>("FilterInstanceFindFirst");
    auto next = fltlib_.get<decltype(&FilterInstanceFindNext)>("FilterInstanceFindNext");
    auto close = fltlib_.get<decltype(&FilterInstanceFindClose)>("FilterInstanceFindClose");
    if (!first || !next || !close) {
      unread.push_back("the Filter Manager's instances: " +
                       Library::missing("fltlib.dll", "FilterInstanceFindFirst"));
      return out;
    }
    std::vector<std::string> ignored;
    std::vector<unsigned char> buf(kBuffer);
    for (const LiveFilter &f : filters(ignored)) {
      const std::wstring name = io::wide_from_utf8(f.name);
      HANDLE find = INVALID_HANDLE_VALUE;
      DWORD got = 0;
      HRESULT hr = first(name.c_str(), InstanceAggregateStandardInformation, buf.data(), kBuffer,
                         &got, &find);
      for (int n = 0; SUCCEEDED(hr) && n < kMaxRecords; ++n) {
        const auto *e =
            reinterpret_cast<const INSTANCE_AGGREGATE_STANDARD_INFORMATION *>(buf.data());
        LiveInstance i;
        i.filter = f.name;
        std::string device;
        if (e->Flags & FLTFL_IASI_IS_LEGACYFILTER) {
          const auto &l = e->Type.LegacyFilter;
          i.legacy = true;
          i.altitude = text_at(e, l.AltitudeBufferOffset, l.AltitudeLength);
          device = text_at(e, l.VolumeNameBufferOffset, l.VolumeNameLength);
          i.supported_features = l.SupportedFeatures;
        } else {
          const auto &m = e->Type.MiniFilter;
          i.instance = text_at(e, m.InstanceNameBufferOffset, m.InstanceNameLength);
          i.altitude = text_at(e, m.AltitudeBufferOffset, m.AltitudeLength);
          i.frame = static_cast<int>(m.FrameID);
          device = text_at(e, m.VolumeNameBufferOffset, m.VolumeNameLength);
          i.supported_features = m.SupportedFeatures;
        }
        i.volume = dos_name(device);
        out.push_back(std::move(i));
        hr = next(find, InstanceAggregateStandardInformation, buf.data(), kBuffer, &got);
      }
      if (find != INVALID_HANDLE_VALUE)
        close(find);
      if (hr != HRESULT_FROM_WIN32(ERROR_NO_MORE_ITEMS))
        unread.push_back("the instances of " + f.name +
                         ": FilterInstanceFindFirst/Next: " + hresult_text(hr));
    }
    return out;
  }

  std::vector<LiveVolume> volumes(std::vector<std::string> &unread) override {
    std::vector<LiveVolume> out;
    auto first = fltlib_.get<decltype(&FilterVolumeFindFirst)>("FilterVolumeFindFirst");
    auto next = fltlib_.get<decltype(&FilterVolumeFindNext)>("FilterVolumeFindNext");
    auto close = fltlib_.get<decltype(&FilterVolumeFindClose)>("FilterVolumeFindClose");
    if (!first || !next || !close) {
      unread.push_back("the Filter Manager's volumes: " +
                       Library::missing("fltlib.dll", "FilterVolumeFindFirst"));
      return out;
    }
    std::vector<unsigned char> buf(kBuffer);
    HANDLE find = INVALID_HANDLE_VALUE;
    DWORD got = 0;
    HRESULT hr = first(FilterVolumeStandardInformation, buf.data(), kBuffer, &got, &find);
    for (int n = 0; SUCCEEDED(hr) && n < kMaxRecords; ++n) {
      const auto *e = reinterpret_cast<const FILTER_VOLUME_STANDARD_INFORMATION *>(buf.data());
      LiveVolume v;
      v.volume = io::utf8_from_wide(
          std::wstring_view(e->FilterVolumeName, e->FilterVolumeNameLength / sizeof(wchar_t)));
      const std::string dos = dos_name(v.volume);
      v.dos_name = dos == v.volume ? std::string() : dos;
      v.file_system = file_system_name(e->FileSystemType);
      out.push_back(std::move(v));
      hr = next(find, FilterVolumeStandardInformation, buf.data(), kBuffer, &got);
    }
    if (find != INVALID_HANDLE_VALUE)
      close(find);
    if (hr != HRESULT_FROM_WIN32(ERROR_NO_MORE_ITEMS))
      unread.push_back("the Filter Manager's volumes: FilterVolumeFindFirst/Next: " +
                       hresult_text(hr));
    return out;
  }

  std::vector<LiveLoadEvent> load_events(std::vector<std::string> &unread) override {
    std::vector<LiveLoadEvent> out;
    auto query = wevtapi_.get<decltype(&EvtQuery)>("EvtQuery");
    auto next = wevtapi_.get<decltype(&EvtNext)>("EvtNext");
    auto render = wevtapi_.get<decltype(&EvtRender)>("EvtRender");
    auto format = wevtapi_.get<decltype(&EvtFormatMessage)>("EvtFormatMessage");
    auto open_meta = wevtapi_.get<decltype(&EvtOpenPublisherMetadata)>("EvtOpenPublisherMetadata");
    auto context = wevtapi_.get<decltype(&EvtCreateRenderContext)>("EvtCreateRenderContext");
    auto close = wevtapi_.get<decltype(&EvtClose)>("EvtClose");
    if (!query || !next || !render || !format || !open_meta || !context || !close) {
      unread.push_back("the System event log: " + Library::missing("wevtapi.dll", "EvtQuery"));
      return out;
    }
    const wchar_t *xpath =
        L"*[System[Provider[@Name='Microsoft-Windows-FilterManager'] and (EventID=6)]]";
    EVT_HANDLE results = query(nullptr, L"System", xpath, EvtQueryChannelPath);
    if (!results) {
      unread.push_back("the System event log: EvtQuery: " +
                       io::system_error_text(static_cast<long>(GetLastError())));
      return out;
    }
    EVT_HANDLE meta = open_meta(nullptr, L"Microsoft-Windows-FilterManager", nullptr, 0, 0);
    const wchar_t *paths[] = {L"Event/System/TimeCreated/@SystemTime"};
    EVT_HANDLE values = context(1, paths, EvtRenderContextValues);
    EVT_HANDLE batch[64];
    DWORD returned = 0;
    while (out.size() < static_cast<std::size_t>(kMaxRecords) &&
           next(results, 64, batch, INFINITE, 0, &returned)) {
      for (DWORD k = 0; k < returned; ++k) {
        LiveLoadEvent e;
        e.time = system_time(render, values, batch[k]);
        e.message = message(format, meta, batch[k]);
        if (!e.message.empty())
          out.push_back(std::move(e));
        close(batch[k]);
      }
    }
    const DWORD last = GetLastError();
    if (last != ERROR_NO_MORE_ITEMS && last != ERROR_SUCCESS)
      unread.push_back("the System event log: EvtNext: " +
                       io::system_error_text(static_cast<long>(last)));
    if (values)
      close(values);
    if (meta)
      close(meta);
    close(results);
    return out;
  }

private:
  // "\Device\HarddiskVolume3" -> "C:" when the volume has a DOS name, else as given.
  std::string dos_name(const std::string &device) const {
    auto get = fltlib_.get<decltype(&FilterGetDosName)>("FilterGetDosName");
    if (!get || device.empty())
      return device;
    wchar_t dos[MAX_PATH + 1] = {};
    const std::wstring w = io::wide_from_utf8(device);
    if (FAILED(get(w.c_str(), dos, MAX_PATH)) || dos[0] == L'\0')
      return device;
    return io::utf8_from_wide(dos);
  }

  // fltmc's names for the file system types.
  static std::string file_system_name(FLT_FILESYSTEM_TYPE t) {
    switch (t) {
    case FLT_FSTYPE_RAW:
      return "RAW";
    case FLT_FSTYPE_NTFS:
      return "NTFS";
    case FLT_FSTYPE_FAT:
      return "FAT";
    case FLT_FSTYPE_CDFS:
      return "CDFS";
    case FLT_FSTYPE_UDFS:
    case FLT_FSTYPE_BSUDF:
      return "UDFS";
    case FLT_FSTYPE_LANMAN:
    case FLT_FSTYPE_WEBDAV:
    case FLT_FSTYPE_RDPDR:
    case FLT_FSTYPE_NFS:
    case FLT_FSTYPE_MS_NETWARE:
    case FLT_FSTYPE_NETWARE:
    case FLT_FSTYPE_MUP:
      return "Remote";
    case FLT_FSTYPE_EXFAT:
      return "exFAT";
    case FLT_FSTYPE_NPFS:
      return "NamedPipe";
    case FLT_FSTYPE_MSFS:
      return "Mailslot";
    case FLT_FSTYPE_CSVFS:
      return "CSVFS";
    case FLT_FSTYPE_REFS:
      return "ReFS";
    default:
      return "<Unknown>";
    }
  }

  // The record's TimeCreated as "2024-04-30T08:00:01.000" (UTC), as wevtutil /f:text prints it.
  static std::string system_time(decltype(&EvtRender) render, EVT_HANDLE context, EVT_HANDLE ev) {
    if (!context)
      return {};
    alignas(EVT_VARIANT) unsigned char buf[1024];
    DWORD used = 0, count = 0;
    if (!render(context, ev, EvtRenderEventValues, sizeof buf, buf, &used, &count) || count < 1)
      return {};
    const auto *v = reinterpret_cast<const EVT_VARIANT *>(buf);
    if (v[0].Type != EvtVarTypeFileTime)
      return {};
    FILETIME ft;
    ft.dwLowDateTime = static_cast<DWORD>(v[0].FileTimeVal & 0xFFFFFFFFu);
    ft.dwHighDateTime = static_cast<DWORD>(v[0].FileTimeVal >> 32);
    SYSTEMTIME st;
    if (!FileTimeToSystemTime(&ft, &st))
      return {};
    char out[32];
    std::snprintf(out, sizeof out, "%04u-%02u-%02uT%02u:%02u:%02u.%03u", st.wYear, st.wMonth,
                  st.wDay, st.wHour, st.wMinute, st.wSecond, st.wMilliseconds);
    return out;
  }

  // The event's message in the machine's language ("File System Filter 'X' (...) has
  // successfully loaded and registered with Filter Manager."), which the event reader reads.
  static std::string message(decltype(&EvtFormatMessage) format, EVT_HANDLE meta, EVT_HANDLE ev) {
    if (!meta)
      return {};
    DWORD used = 0;
    format(meta, ev, 0, 0, nullptr, EvtFormatMessageEvent, 0, nullptr, &used);
    if (used == 0 || used > 65536)
      return {};
    std::wstring text(used, L'\0');
    if (!format(meta, ev, 0, 0, nullptr, EvtFormatMessageEvent, used, text.data(), &used))
      return {};
    while (!text.empty() && (text.back() == L'\0' || text.back() == L'\r' || text.back() == L'\n'))
      text.pop_back();
    return io::utf8_from_wide(text);
  }

  Library fltlib_;
  Library wevtapi_;
};

} // namespace

std::unique_ptr<FilterManagerSource> this_machine_filter_manager() {
  return std::make_unique<ThisMachine>();
}

} // namespace fltsim::observed
