#!/usr/bin/env python3
"""Writes a synthetic whole-machine `reg export HKLM\\SYSTEM` (UTF-16LE with BOM, CRLF) of about
the size and shape of a real one, for docs/performance.md: N services (most of them kernel
drivers and user-mode services with ImagePath, Description, Parameters and Enum-like subkeys;
one in 40 a minifilter with two instances; a few legacy filters), ServiceGroupOrder, GroupOrderList
and bulk keys outside Services (Control\\Class-like noise) to reach the target size.
Usage: bench/gen-machine-export.py OUT.reg [--services N] [--noise-keys M]"""
import argparse

P = "HKEY_LOCAL_MACHINE\\SYSTEM"
CS = P + "\\ControlSet001"


def hexbytes(b):
    return ",".join("%02x" % c for c in b)


def multi(items):
    return "hex(7):" + hexbytes(b"".join(s.encode("utf-16-le") + b"\0\0" for s in items) + b"\0\0")


def expand(s):
    return "hex(2):" + hexbytes(s.encode("utf-16-le") + b"\0\0")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--services", type=int, default=1500)
    ap.add_argument("--noise-keys", type=int, default=60000)
    a = ap.parse_args()
    groups = ["FSFilter Activity Monitor", "FSFilter Anti-Virus", "FSFilter Bottom", "FSFilter Top"]
    lines = ["Windows Registry Editor Version 5.00", "",
             "[" + P + "\\Select]", '"Current"=dword:00000001', "",
             "[" + CS + "\\Control\\ServiceGroupOrder]", '"List"=' + multi(groups + ["Base", "PNP_TDI"]), "",
             "[" + CS + "\\Control\\GroupOrderList]"]
    for g in groups:
        tags = list(range(1, 41))
        lines.append('"%s"=hex:%s' % (g, hexbytes(b"".join(t.to_bytes(4, "little") for t in [len(tags)] + tags))))
    lines.append("")
    for i in range(a.services):
        name = "Svc%05d" % i
        key = CS + "\\Services\\" + name
        filt = i % 40 == 0
        legacy = i % 400 == 7
        typ = 2 if filt or legacy else (1 if i % 3 else 0x10)
        lines += ["[" + key + "]", '"Type"=dword:%08x' % typ, '"Start"=dword:%08x' % (i % 4),
                  '"ErrorControl"=dword:00000001',
                  '"ImagePath"=' + expand("\\SystemRoot\\System32\\drivers\\%s.sys" % name.lower()),
                  '"DisplayName"="@%%SystemRoot%%\\\\system32\\\\drivers\\\\%s.sys,-%d"' % (name, i),
                  '"Description"="Synthetic service %d for the machine-import benchmark, with a description as long as real ones are"' % i]
        if filt or legacy:
            lines.append('"Group"="%s"' % groups[i % len(groups)])
            lines.append('"Tag"=dword:%08x' % (1 + i % 40))
        if filt:
            lines.append('"DependOnService"=' + multi(["FltMgr"]))
        lines.append("")
        lines += ["[" + key + "\\Parameters]", '"ServiceDll"=' + expand("%SystemRoot%\\System32\\" + name + ".dll"), ""]
        if filt:
            lines += ["[" + key + "\\Instances]", '"DefaultInstance"="%s Instance"' % name, ""]
            for k in range(2):
                lines += ["[" + key + "\\Instances\\%s Instance%s]" % (name, "" if k == 0 else " 2"),
                          '"Altitude"="%d.%d"' % (360000 + i, k), '"Flags"=dword:00000000', ""]
        lines += ["[" + key + "\\Enum]", '"0"="ROOT\\\\LEGACY_%s\\\\0000"' % name, '"Count"=dword:00000001', ""]
    for j in range(a.noise_keys):
        lines += ["[" + CS + "\\Control\\Class\\{4d36e97b-e325-11ce-bfc1-08002be10318}\\%04d]" % j,
                  '"DriverDesc"="Synthetic device %d"' % j,
                  '"ProviderName"="Contoso"', '"DriverDate"="6-21-2006"',
                  '"MatchingDeviceId"="pci\\\\ven_8086&dev_%04x"' % (j % 65536),
                  '"Data"=hex:' + hexbytes(bytes(range(j % 7, j % 7 + 24))), ""]
    text = "\r\n".join(lines) + "\r\n"
    with open(a.out, "wb") as f:
        f.write(b"\xff\xfe" + text.encode("utf-16-le"))


if __name__ == "__main__":
    main()
