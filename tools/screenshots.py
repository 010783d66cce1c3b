"""Take screenshots of the running web client with headless Chromium (for the README).

    .venv/bin/python tools/screenshots.py http://localhost:8069 ams_demo admin admin \
        docs/screenshots/my_accounts.png "/odoo/action-account_manager_suite.action_my_accounts"

Logs in through JSON-RPC, hands the session cookie to Chromium over the DevTools
protocol (websocket-client), opens each path and saves a PNG once the page is idle.
Arguments after the credentials come in pairs: output file, path; a path may end with
``|javascript`` run before the picture is taken (e.g. to click a tab).
"""

import base64
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import requests
import websocket


def login(base, db, user, password):
    session = requests.Session()
    response = session.post(
        f"{base}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": user, "password": password}},
        timeout=60,
    )
    response.raise_for_status()
    if response.json().get("error"):
        raise SystemExit(f"login failed: {response.json()['error']}")
    return session.cookies.get("session_id")


class Browser:
    def __init__(self, width=1440, height=900):
        self.profile = tempfile.mkdtemp(prefix="ams-chromium-")
        self.process = subprocess.Popen(
            [
                "chromium",
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-sync",
                "--disable-component-update",
                f"--user-data-dir={self.profile}",
                f"--window-size={width},{height}",
                "--remote-debugging-port=9333",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(50):
            try:
                tabs = json.load(urllib.request.urlopen("http://127.0.0.1:9333/json"))
                page = next(t for t in tabs if t["type"] == "page")
                break
            except (OSError, StopIteration):
                time.sleep(0.2)
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=60)
        self.next_id = 0
        self.call("Page.enable")
        self.call("Network.enable")
        self.call(
            "Emulation.setDeviceMetricsOverride",
            width=width,
            height=height,
            deviceScaleFactor=1,
            mobile=False,
        )

    def call(self, method, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.next_id:
                return message.get("result", {})

    def shot(self, url, path, wait=6.0, script=None):
        self.call("Page.navigate", url=url)
        time.sleep(wait)
        # close notifications (e.g. "the page is out of date" after a module update)
        self.call(
            "Runtime.evaluate",
            expression="document.querySelectorAll('.o_notification_close').forEach(b => b.click())",
        )
        if script:
            self.call("Runtime.evaluate", expression=script)
            time.sleep(2)
        data = self.call("Page.captureScreenshot", format="png")["data"]
        Path(path).parent.mkdir(parents=True, exist_ok=True)
        Path(path).write_bytes(base64.b64decode(data))

    def close(self):
        self.process.terminate()


def main():
    base, db, user, password, *pairs = sys.argv[1:]
    cookie = login(base, db, user, password)
    browser = Browser()
    try:
        browser.call("Network.setCookie", name="session_id", value=cookie, url=base, path="/")
        for out, path in zip(pairs[::2], pairs[1::2], strict=True):
            path, _sep, script = path.partition("|")
            # AMS_SHOT_WAIT: seconds to let a page settle (a busy machine, a spreadsheet)
            wait = float(os.environ.get("AMS_SHOT_WAIT", "6"))
            browser.shot(f"{base}{path}", out, wait=wait, script=script or None)
            print(out)
    finally:
        browser.close()


if __name__ == "__main__":
    main()
