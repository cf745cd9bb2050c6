"""Debian's Firefox (firefox-esr), headless, driven over WebDriver BiDi: no geckodriver, no browser download.

Firefox 128+ speaks BiDi itself: started with --remote-debugging-port=0 it prints
"WebDriver BiDi listening on ws://127.0.0.1:PORT" on stderr; this module connects to PORT/session
(websocket-client, requirements-test.txt), opens a session and offers the few commands the tests use:
navigate, evaluate (a JavaScript expression, its value as JSON) and the page's JavaScript errors.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

FIREFOX = os.environ.get("FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox") or ""

# A quiet profile: no first-run pages, updates, telemetry or remote settings (Firefox's own
# "recommended preferences" for remote control cover most of this; these make sure).
PREFS = {
    "browser.shell.checkDefaultBrowser": False,
    "browser.startup.homepage_override.mstone": "ignore",
    "app.update.disabledForTesting": True,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "services.settings.server": "data:,#remote-settings-off",
    "extensions.update.enabled": False,
    "app.normandy.enabled": False,
}


def version() -> str:
    return subprocess.run([FIREFOX, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()


class Firefox:
    """One headless Firefox with a fresh profile and one browsing context (tab)."""

    def __init__(self, timeout: float = 30):
        import websocket                                      # websocket-client
        self.profile = Path(tempfile.mkdtemp(prefix="xxgk-firefox-"))
        (self.profile / "user.js").write_text(
            "".join(f"user_pref({json.dumps(k)}, {json.dumps(v)});\n" for k, v in PREFS.items()), encoding="utf-8")
        self.proc = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--remote-debugging-port=0", "-profile", str(self.profile),
             "about:blank"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "MOZ_CRASHREPORTER_DISABLE": "1"})
        self.stderr: list[str] = []
        found = threading.Event()
        url: list[str] = []

        def read():                                           # Firefox writes to stderr until it exits
            for line in self.proc.stderr:
                self.stderr.append(line)
                m = re.search(r"WebDriver BiDi listening on (ws://\S+)", line)
                if m and not url:
                    url.append(m.group(1))
                    found.set()
            found.set()

        threading.Thread(target=read, daemon=True).start()
        if not found.wait(timeout) or not url:
            self.close()
            raise RuntimeError("Firefox did not start WebDriver BiDi:\n" + "".join(self.stderr[-20:]))
        # (no Origin header: Firefox refuses a handshake from a web page's origin)
        self.ws = websocket.create_connection(url[0].rstrip("/") + "/session", timeout=timeout, suppress_origin=True)
        self._id = 0
        self.events: list[dict] = []
        self.send("session.new", {"capabilities": {}})
        self.send("session.subscribe", {"events": ["log.entryAdded"]})
        self.context = self.send("browsingContext.getTree", {})["contexts"][0]["context"]

    def send(self, method: str, params: dict) -> dict:
        """One BiDi command; its result (events that arrive meanwhile are kept in .events)."""
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("type") == "event":
                self.events.append(msg)
            elif msg.get("id") == self._id:
                if msg.get("type") == "error":
                    raise RuntimeError(f"{method}: {msg.get('error')}: {msg.get('message')}")
                return msg["result"]

    def goto(self, url: str) -> None:
        self.send("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def evaluate(self, expression: str):
        """The value of a JavaScript expression (awaited if a promise), passed through JSON."""
        r = self.send("script.evaluate", {"expression": f"Promise.resolve({expression}).then(JSON.stringify)",
                                          "target": {"context": self.context}, "awaitPromise": True})
        if r.get("type") != "success":
            raise RuntimeError(f"{expression}: {r.get('exceptionDetails', {}).get('text')}")
        value = r["result"].get("value")
        return None if value is None else json.loads(value)

    def wait_for(self, expression: str, timeout: float = 20, every: float = 0.05):
        """Evaluate until the expression is truthy; its value."""
        end = time.monotonic() + timeout
        while True:
            value = self.evaluate(expression)
            if value or time.monotonic() > end:
                if not value:
                    raise TimeoutError(f"{expression} still {value!r} after {timeout} s")
                return value
            time.sleep(every)

    def errors(self) -> list[str]:
        """The page's uncaught JavaScript errors and console.error calls so far."""
        self.evaluate("1")                                    # collect the events sent before now
        return [e["params"].get("text") or "" for e in self.events if e.get("method") == "log.entryAdded"
                and (e["params"].get("type") == "javascript" or e["params"].get("level") == "error")]

    def close(self) -> None:
        """Close the browser (as BiDi's browser.close; killed if it does not end in 10 s)."""
        try:
            if getattr(self, "ws", None):
                try:
                    self.send("browser.close", {})
                except Exception:
                    pass
                self.ws.close()
            else:
                self.proc.terminate()
        finally:
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(10)
            shutil.rmtree(self.profile, ignore_errors=True)
