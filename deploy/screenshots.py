"""Screenshots of the Dagster UI for docs/OPERATIONS.md, taken from a real run.

Processes the shipped sample documents into a scratch data folder with
`textract-pipeline process`, sets the production pool limits on that instance, serves it
with dagster-webserver on 127.0.0.1 and captures the pages with headless Chromium driven
by Selenium. Chromium and its driver come from Debian (`apt-get install -y chromium
chromium-driver`) and `pip install selenium`; nothing is downloaded at run time.

    python deploy/screenshots.py --out docs/img
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

BIN = Path(sys.executable).parent
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
LOCATION = "textract_pipeline.definitions"
SAMPLES = Path(__file__).resolve().parents[1] / "sample_deeds" / "data"
WINDOW = (1600, 1100)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_http(url: str, timeout: float, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dagster-webserver exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(1)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def chromium_driver(user_data_dir: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        f"--user-data-dir={user_data_dir}",
        f"--window-size={WINDOW[0]},{WINDOW[1]}",
    ):
        options.add_argument(flag)
    # An explicit driver path: Selenium Manager is never asked to fetch a browser or driver.
    return webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)


def dismiss_welcome(driver) -> None:
    """The first-visit newsletter dialog (shown when the instance has nux enabled)."""
    from selenium.webdriver.common.by import By

    for button in driver.find_elements(By.XPATH, "//button[normalize-space()='Skip']"):
        button.click()


def wait_for_texts(driver, texts: list[str], timeout: float = 120) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    def rendered(drv) -> bool:
        body = drv.find_element(By.TAG_NAME, "body").text
        return all(text in body for text in texts)

    WebDriverWait(driver, timeout, poll_frequency=0.5).until(rendered)


def save(driver, path: Path, settle: float = 3.0) -> None:
    time.sleep(settle)  # graph layout and fonts finish after the text is there
    dismiss_welcome(driver)
    path.parent.mkdir(parents=True, exist_ok=True)
    driver.save_screenshot(str(path))
    print(f"wrote {path}")


def capture(driver, url: str, wait_for_text: list[str], path: Path) -> None:
    """Open `url`, wait until every text in `wait_for_text` is rendered, then screenshot."""
    driver.get(url)
    wait_for_texts(driver, wait_for_text)
    save(driver, path)


def capture_asset_graph(driver, base: str, groups: list[str], assets: list[str], path: Path) -> None:
    """Global lineage with every group expanded (the UI remembers expansion across reloads)."""
    from selenium.webdriver.common.by import By

    driver.get(f"{base}/asset-groups")
    wait_for_texts(driver, groups)
    time.sleep(2)
    dismiss_welcome(driver)
    for group in groups:
        headers = driver.find_elements(
            By.XPATH, f"//*[local-name()='foreignObject']//*[normalize-space(text())='{group}']"
        )
        if headers:
            headers[0].click()
            time.sleep(1)
    driver.refresh()  # re-layout and zoom to fit with the groups open
    wait_for_texts(driver, assets)
    save(driver, path, settle=4.0)


def run(out_dir: Path, keep: bool) -> None:
    from textract_pipeline.records import DocumentStatus
    from textract_pipeline.resources.tracking import SqliteTrackingStore

    scratch = Path(tempfile.mkdtemp(prefix="textract-screens-"))
    data = scratch / "data"
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DAGSTER_", "TEXTRACT_PIPELINE_"))}
    env.update(
        TEXTRACT_PIPELINE_PROFILE="local",
        TEXTRACT_PIPELINE_DATA_DIR=str(data),
        DAGSTER_HOME=str(data / "dagster_home"),
    )
    webserver = None
    try:
        # Written before the CLI runs so it keeps it: no telemetry, no first-visit dialog.
        (data / "dagster_home").mkdir(parents=True)
        (data / "dagster_home" / "dagster.yaml").write_text("telemetry:\n  enabled: false\nnux:\n  enabled: false\n")
        subprocess.run(
            [str(BIN / "textract-pipeline"), "process", str(SAMPLES), "--data-dir", str(data)],
            env=env,
            check=True,
        )
        # The limits deploy/set-pool-limits.sh sets in production, so the pools page shows them.
        subprocess.run(
            ["sh", str(Path(__file__).with_name("set-pool-limits.sh"))],
            env={**env, "DAGSTER_BIN": str(BIN / "dagster")},
            check=True,
        )

        completed = [
            r
            for r in SqliteTrackingStore(path=str(data / "tracking.sqlite")).list_documents()
            if r.status == DocumentStatus.COMPLETED
        ]
        if not completed:
            raise RuntimeError("no sample document reached COMPLETED")
        document = sorted(completed, key=lambda r: r.object_key)[0]

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        log = open(scratch / "webserver.log", "wb")  # noqa: SIM115 - lives as long as the server
        webserver = subprocess.Popen(
            [str(BIN / "dagster-webserver"), "-h", "127.0.0.1", "-p", str(port), "-m", LOCATION],
            env=env,
            cwd=scratch,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        wait_for_http(f"{base}/server_info", 120, webserver)

        driver = chromium_driver(scratch / "chromium-profile")
        try:
            driver.set_window_size(*WINDOW)
            capture_asset_graph(
                driver,
                base,
                ["ingest", "ocr", "extraction", "reports", "tracking"],
                ["source_document", "textract_raw", "v1_schema", "v2_dynamic", "document_result"],
                out_dir / "asset-graph.png",
            )
            partition = quote(document.document_id)
            for asset, name in [("v1_schema", "document-v1-schema.png"), ("textract_raw", "document-textract-raw.png")]:
                capture(
                    driver,
                    f"{base}/assets/{asset}?view=partitions&partition={partition}",
                    [document.document_id, "Metadata"],
                    out_dir / name,
                )
            capture(driver, f"{base}/deployment/concurrency", ["textract", "bedrock"], out_dir / "pools.png")
        finally:
            driver.quit()
    finally:
        if webserver is not None and webserver.poll() is None:
            os.killpg(webserver.pid, 15)
            webserver.wait(timeout=30)
        if keep:
            print(f"kept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "docs" / "img")
    parser.add_argument("--keep", action="store_true", help="keep the scratch data folder and webserver log")
    args = parser.parse_args()
    run(args.out, args.keep)


if __name__ == "__main__":
    main()
