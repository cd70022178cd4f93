"""Take screenshots of Odoo pages as a logged-in user, in headless Chromium.

Used to look at what the add-ons show a person (README images, checking a view in
both languages). Run it with the venv's Python against a running server:

    python setup/screenshot.py --url http://127.0.0.1:8069 --db crm_demo \
        --login admin --password admin --lang zh_CN \
        /odoo/action-crm_customer_template.crm_customer_action=kanban.png

Each argument is PATH=OUTPUT.png; PATH is opened after logging in. The browser
talks to the page over the Chrome DevTools Protocol (websocket-client).
"""

import argparse
import base64
import json
import os
import shutil
import subprocess
import tempfile
import time
import urllib.request

import requests
import websocket


def _authenticate(url, db, login, password, lang):
    session = requests.Session()
    resp = session.post(
        f"{url}/web/session/authenticate",
        json={"jsonrpc": "2.0", "params": {"db": db, "login": login, "password": password}},
        timeout=60,
    )
    resp.raise_for_status()
    result = resp.json()
    if result.get("error"):
        raise SystemExit(f"login failed: {result['error']['data']['message']}")
    if lang:
        uid = result["result"]["uid"]
        session.post(
            f"{url}/web/dataset/call_kw/res.users/write",
            json={
                "jsonrpc": "2.0",
                "params": {
                    "model": "res.users",
                    "method": "write",
                    "args": [[uid], {"lang": lang}],
                    "kwargs": {},
                },
            },
            timeout=60,
        ).raise_for_status()
    return session.cookies.get("session_id")


class Browser:
    def __init__(self, width, height):
        self.profile = tempfile.mkdtemp(prefix="crm_shot_")
        self.proc = subprocess.Popen(
            [
                shutil.which("chromium") or "chromium",
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                f"--user-data-dir={self.profile}",
                "--remote-debugging-port=0",
                f"--window-size={width},{height}",
                "about:blank",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        pages = []
        for _ in range(100):
            try:
                with open(port_file) as fh:
                    port = int(fh.readline())
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json") as fh:
                    pages = [p for p in json.load(fh) if p["type"] == "page"]
                if pages:
                    break
            except (OSError, ValueError):
                pass
            time.sleep(0.1)
        if not pages:
            raise SystemExit("Chromium did not start")
        self.ws = websocket.create_connection(pages[0]["webSocketDebuggerUrl"], timeout=120)
        self._id = 0
        self.call("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=False)

    def call(self, method, **params):
        self._id += 1
        self.ws.send(json.dumps({"id": self._id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == self._id:
                if "error" in msg:
                    raise RuntimeError(msg["error"])
                return msg.get("result", {})

    def close(self):
        self.ws.close()
        self.proc.terminate()
        self.proc.wait(timeout=10)
        shutil.rmtree(self.profile, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", default="http://127.0.0.1:8069")
    parser.add_argument("--db", required=True)
    parser.add_argument("--login", default="admin")
    parser.add_argument("--password", default="admin")
    parser.add_argument("--lang", help="set the user's language first, e.g. zh_CN or en_US")
    parser.add_argument("--width", type=int, default=1440)
    parser.add_argument("--height", type=int, default=900)
    parser.add_argument("--wait", type=float, default=4.0, help="seconds to let the page settle")
    parser.add_argument("shots", nargs="+", metavar="PATH=OUTPUT.png")
    args = parser.parse_args()

    session_id = _authenticate(args.url, args.db, args.login, args.password, args.lang)
    browser = Browser(args.width, args.height)
    try:
        browser.call("Network.enable")
        host = args.url.split("://", 1)[1].split("/", 1)[0].split(":")[0]
        browser.call("Network.setCookie", name="session_id", value=session_id, domain=host, path="/")
        browser.call("Page.enable")
        for shot in args.shots:
            path, output = shot.rsplit("=", 1)
            browser.call("Page.navigate", url=f"{args.url}{path}")
            time.sleep(args.wait)
            # transient notices (e.g. "the page is out of date") are not the page
            browser.call("Runtime.evaluate", expression=(
                "document.querySelectorAll('.o_notification_manager .o_notification')"
                ".forEach((el) => el.remove())"
            ))
            data = browser.call("Page.captureScreenshot", format="png")["data"]
            with open(output, "wb") as fh:
                fh.write(base64.b64decode(data))
            print(f"{path} -> {output}")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
