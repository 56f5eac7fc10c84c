"""Take the README's screenshots of the directory with a headless Chromium (Debian's /usr/bin/chromium).

Starts `silkbridge demo` on a free port with a throw-away data directory (or uses --url), then saves
PNGs into docs/screenshots/. Needs a CJK font for the Chinese pages (Debian: fonts-noto-cjk).

    .venv/bin/python docs/make_screenshots.py [--url http://127.0.0.1:8000] [--out docs/screenshots]
"""
from __future__ import annotations

import argparse
import contextlib
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]
# Two rows the import accepts and two it rejects, so the report shows both.
IMPORT_CSV = """id,name,kind,country,city,sectors,language,description,contact_name,contact_email
rs-vinarija-topola,Vinarija Topola,company,RS,Topola,11,sr-latn,Porodična vinarija iz Šumadije.,Ana Marković,ana@topola.example.rs
cn-lanzhou-wool,兰州羊毛制品有限公司,company,CN,Lanzhou,13,zh-hans,羊毛纺织品生产与出口。,,
hu-bad-country,Pannon Gép Kft.,company,Pannonia,Győr,28,hu,Mezőgazdasági gépek.,,
rs-bad-mail,Drvo Plus,compny,RS,Čačak,16,sr-latn,Nameštaj od masivnog drveta.,Marko Ilić,marko(at)drvoplus
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(url: str, process: subprocess.Popen | None, timeout: float = 600) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise SystemExit(f"the demo server stopped with status {process.returncode}")
        with contextlib.suppress(OSError):
            urllib.request.urlopen(url, timeout=5).close()
            return
        time.sleep(1)
    raise SystemExit(f"{url} did not answer within {timeout:.0f} s")


@contextlib.contextmanager
def demo_server():
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="silkbridge-shots-") as data_dir:
        env = {**os.environ, "SILKBRIDGE_DATA_DIR": data_dir, "PYTHONPATH": str(ROOT / "src")}
        log = open(Path(data_dir) / "demo.log", "w")
        process = subprocess.Popen([sys.executable, "-m", "silkbridge", "demo", "--no-browser", "--port", str(port)],
                                   env=env, stdout=log, stderr=subprocess.STDOUT, cwd=ROOT)
        url = f"http://127.0.0.1:{port}"
        try:
            try:
                wait_for(url + "/", process)
            except SystemExit:
                log.flush()
                print((Path(data_dir) / "demo.log").read_text(encoding="utf-8")[-3000:], file=sys.stderr)
                raise
            yield url
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def showcase_organisation() -> str:
    """The first demo organisation with profiles in two or more languages and a contact person."""
    from silkbridge.demo import organisations

    for item in organisations():
        if len(item.get("profiles", [])) >= 2 and item.get("people"):
            return item["id"]
    return organisations()[0]["id"]


def shoot(url: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from silkbridge.cli.setup import DEMO_PASSWORD, DEMO_USER

    out.mkdir(parents=True, exist_ok=True)
    saved: list[Path] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        desktop = browser.new_page(viewport={"width": 1280, "height": 900})
        desktop.goto(url + "/")
        saved.append(out / "directory-en.png")
        desktop.screenshot(path=saved[-1])

        desktop.goto(f"{url}/zh-hans/organisations/{showcase_organisation()}/")
        saved.append(out / "organisation-zh.png")
        desktop.screenshot(path=saved[-1], full_page=True)

        desktop.goto(url + "/accounts/login/")
        desktop.fill("#id_username", DEMO_USER)
        desktop.fill("#id_password", DEMO_PASSWORD)
        desktop.click("form.form-stack button[type=submit]")
        desktop.goto(url + "/organisations/import/")
        with tempfile.TemporaryDirectory() as tmp:
            sheet = Path(tmp) / "members.csv"
            sheet.write_text(IMPORT_CSV, encoding="utf-8")
            desktop.set_input_files("#id_file", str(sheet))
            desktop.check("#id_dry_run")
            desktop.click("form.form-stack button[type=submit]")
            desktop.wait_for_selector("#report-heading")
        saved.append(out / "import-report.png")
        desktop.screenshot(path=saved[-1], full_page=True)

        phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
        phone.goto(url + "/sr-latn/")
        saved.append(out / "directory-phone-sr-latn.png")
        phone.screenshot(path=saved[-1])
        browser.close()
    return saved


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="use a running silkbridge demo instead of starting one")
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        raise SystemExit(f"{CHROMIUM} not found: apt-get install chromium")
    if args.url:
        wait_for(args.url.rstrip("/") + "/", None, timeout=30)
        saved = shoot(args.url.rstrip("/"), args.out)
    else:
        with demo_server() as url:
            saved = shoot(url, args.out)
    for path in saved:
        print(f"saved {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
