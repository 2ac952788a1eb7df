#!/usr/bin/env python3
"""A small Chrome DevTools Protocol client for Debian's headless chromium, standard library only.

Chromium is started with --remote-debugging-pipe: it reads commands from fd 3 and writes replies
and events to fd 4, one JSON object per message, each ended by a NUL byte. No websocket, no
port, no Selenium. One browser process serves many pages (tests/pictures/test_pictures.py renders
every bundled scenario in one).

    with Chromium() as browser:
        page = browser.new_page(width, height)
        page.navigate("file:///tmp/x.svg")
        png = page.screenshot()            # bytes
        value = page.evaluate("1 + 1")     # 2
        page.console_errors, page.requests # what the page logged and fetched

Every network fetch goes to a proxy that does not exist (--proxy-server=127.0.0.1:9), so a page
that tries to fetch anything fails to, and the attempt is recorded in `requests`.
"""
import base64
import select
import json
import os
import shutil
import subprocess
import tempfile
import time


def find_chromium():
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


class CdpError(RuntimeError):
    pass


class Chromium:
    def __init__(self, binary=None, timeout=30.0):
        self.binary = binary or find_chromium()
        if not self.binary:
            raise CdpError("chromium not found (scripts/install-deps.sh test)")
        self.timeout = timeout
        self.next_id = 0
        self.buffer = b""
        self.events = []  # (sessionId, method, params) not yet consumed
        self.pages = {}

    def __enter__(self):
        self.profile = tempfile.mkdtemp(prefix="fltsim-chromium-")
        to_chrome_r, self.to_chrome = os.pipe()
        self.from_chrome, from_chrome_w = os.pipe()

        def child_fds():
            # fd 3: commands in, fd 4: replies out (--remote-debugging-pipe).
            a, b = os.dup(to_chrome_r), os.dup(from_chrome_w)
            os.dup2(a, 3)  # dup2 leaves 3 and 4 inheritable
            os.dup2(b, 4)

        args = [self.binary, "--headless", "--remote-debugging-pipe", "--no-sandbox",
                "--disable-gpu", "--hide-scrollbars", "--mute-audio", "--no-first-run",
                "--no-default-browser-check", "--disable-extensions", "--disable-sync",
                "--disable-background-networking", "--disable-component-update",
                "--disable-default-apps", "--disable-dev-shm-usage",
                "--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
                "--force-color-profile=srgb", "--font-render-hinting=none",
                "--user-data-dir=" + self.profile, "about:blank"]
        self.proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL, preexec_fn=child_fds,
                                     close_fds=False)
        os.close(to_chrome_r)
        os.close(from_chrome_w)
        return self

    def __exit__(self, *exc):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:  # noqa: BLE001 - closing anyway
            pass
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_chrome)
        os.close(self.from_chrome)
        shutil.rmtree(self.profile, ignore_errors=True)

    # ---- messages ---------------------------------------------------------------------------

    def _read_message(self, deadline):
        while b"\0" not in self.buffer:
            if time.monotonic() > deadline:
                raise CdpError("timed out waiting for chromium")
            ready, _, _ = select.select([self.from_chrome], [], [], 0.5)
            if ready:
                chunk = os.read(self.from_chrome, 1 << 20)
                if not chunk:
                    raise CdpError("chromium closed the pipe (exit %s)" % self.proc.poll())
                self.buffer += chunk
        raw, self.buffer = self.buffer.split(b"\0", 1)
        return json.loads(raw)

    def _dispatch(self, msg):
        if "method" in msg:
            session = msg.get("sessionId")
            page = self.pages.get(session)
            if page is not None:
                page._event(msg["method"], msg.get("params", {}))
            self.events.append((session, msg["method"], msg.get("params", {})))

    def call(self, method, params=None, session=None, timeout=None):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.to_chrome, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            reply = self._read_message(deadline)
            if reply.get("id") == self.next_id:
                if "error" in reply:
                    raise CdpError("%s: %s" % (method, reply["error"].get("message")))
                return reply.get("result", {})
            self._dispatch(reply)

    def wait_event(self, method, session, timeout=None):
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            for i, (s, m, p) in enumerate(self.events):
                if s == session and m == method:
                    del self.events[i]
                    return p
            self._dispatch(self._read_message(deadline))

    def pump(self, seconds):
        """Reads events for `seconds` (timers in the page keep running meanwhile)."""
        deadline = time.monotonic() + seconds
        while True:
            try:
                self._dispatch(self._read_message(deadline))
            except CdpError:
                if time.monotonic() >= deadline:
                    return
                raise

    def new_page(self, width, height):
        target = self.call("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self.call("Target.attachToTarget",
                            {"targetId": target, "flatten": True})["sessionId"]
        page = Page(self, target, session)
        self.pages[session] = page
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(domain + ".enable", session=session)
        page.resize(width, height)
        return page


class Page:
    def __init__(self, browser, target, session):
        self.browser, self.target, self.session = browser, target, session
        self.console_errors = []  # console.error / exceptions / error log entries
        self.requests = []        # every URL the page asked for
        self.failed = []          # requests that failed

    def _event(self, method, p):
        if method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "assert"):
            self.console_errors.append(" ".join(str(a.get("value", a.get("description", "")))
                                                for a in p.get("args", [])))
        elif method == "Runtime.exceptionThrown":
            d = p.get("exceptionDetails", {})
            self.console_errors.append(d.get("exception", {}).get("description", d.get("text")))
        elif method == "Log.entryAdded" and p.get("entry", {}).get("level") == "error":
            self.console_errors.append(p["entry"].get("text", ""))
        elif method == "Network.requestWillBeSent":
            self.requests.append(p.get("request", {}).get("url", ""))
        elif method == "Network.loadingFailed":
            self.failed.append(p.get("errorText", ""))

    def call(self, method, params=None):
        return self.browser.call(method, params, session=self.session)

    def resize(self, width, height):
        self.call("Emulation.setDeviceMetricsOverride",
                  {"width": int(width), "height": int(height), "deviceScaleFactor": 1,
                   "mobile": False})

    def navigate(self, url):
        self.browser.events = [e for e in self.browser.events if e[0] != self.session]
        reply = self.call("Page.navigate", {"url": url})
        if reply.get("errorText"):
            raise CdpError("navigate %s: %s" % (url, reply["errorText"]))
        self.browser.wait_event("Page.loadEventFired", self.session)

    def evaluate(self, expression):
        r = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True,
                                           "awaitPromise": True})
        if "exceptionDetails" in r:
            raise CdpError("evaluate %r: %s" % (expression, r["exceptionDetails"].get("text")))
        return r.get("result", {}).get("value")

    def key(self, key, code=None, keycode=0):
        for kind in ("keyDown", "keyUp"):
            self.call("Input.dispatchKeyEvent", {"type": kind, "key": key, "code": code or key,
                                                 "windowsVirtualKeyCode": keycode})

    def screenshot(self):
        data = self.call("Page.captureScreenshot", {"format": "png", "fromSurface": True})["data"]
        return base64.b64decode(data)
