"""LibreOffice conversions make no network request, whatever address an uploaded file links.

A real .odt (built with zipfile) and a real .doc (converted from it) link an image at a loopback
listener; the reader converts them while the listener counts every request it gets.
"""

from __future__ import annotations

import subprocess
import threading
import zipfile
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from trienkhai import office
from trienkhai.documents.readers.registry import read_file
from trienkhai.reports.pdf import docx_to_pdf
from trienkhai.settings import get_settings

pytestmark = pytest.mark.slow


class _Counter(BaseHTTPRequestHandler):
    """Counts every request, whatever its method, and answers 404."""

    hits: list[str]

    def _count(self) -> None:
        self.hits.append(f"{self.command} {self.path}")
        self.send_response(404)
        self.end_headers()

    do_GET = do_HEAD = do_OPTIONS = do_PROPFIND = do_POST = _count

    def log_message(self, *args: object) -> None:
        """Quiet."""


@pytest.fixture
def listener() -> Iterator[tuple[int, list[str]]]:
    """A loopback HTTP server; yields its port and the list of requests it saw."""
    hits: list[str] = []
    handler = type("Handler", (_Counter,), {"hits": hits})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address[1], hits
    server.shutdown()
    server.server_close()


_CONTENT = """<?xml version="1.0" encoding="UTF-8"?>
<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"
 xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"
 xmlns:draw="urn:oasis:names:tc:opendocument:xmlns:drawing:1.0"
 xmlns:xlink="http://www.w3.org/1999/xlink"
 xmlns:svg="urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0" office:version="1.2">
<office:body><office:text>
<text:p>KẾ HOẠCH tuyên truyền</text:p>
<text:p><draw:frame draw:name="anh" svg:width="2cm" svg:height="2cm">
<draw:image xlink:href="URL" xlink:type="simple" xlink:show="embed" xlink:actuate="onLoad"/>
</draw:frame></text:p>
</office:text></office:body></office:document-content>"""
_MANIFEST = """<?xml version="1.0" encoding="UTF-8"?>
<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
 manifest:version="1.2">
<manifest:file-entry manifest:full-path="/"
 manifest:media-type="application/vnd.oasis.opendocument.text"/>
<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>
</manifest:manifest>"""


def make_linked_odt(path: Path, url: str) -> Path:
    """An .odt whose only image is linked (not embedded) at `url`."""
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("META-INF/manifest.xml", _MANIFEST)
        archive.writestr("content.xml", _CONTENT.replace("URL", url))
    return path


def _plain_soffice(source: Path, target: str, outdir: Path) -> None:
    """LibreOffice as the readers ran it before: default profile settings, network allowed."""
    profile = (outdir / "plain-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", target, "--outdir", str(outdir), str(source)],
        capture_output=True, timeout=180, check=False,
    )  # fmt: skip


@pytest.fixture
def linked_files(tmp_path: Path, listener: tuple[int, list[str]]) -> dict[str, Path]:
    """The .odt and a .doc made from it (converted without network), both linking the listener."""
    port, hits = listener
    odt = make_linked_odt(tmp_path / "chi-dao.odt", f"http://127.0.0.1:{port}/x.png")
    office.convert(program="soffice", source=odt, target="doc", outdir=tmp_path, timeout=180)
    hits.clear()
    return {"odt": odt, "doc": tmp_path / "chi-dao.doc"}


@pytest.fixture(params=["namespace", "profile"])
def isolation(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Each way of keeping LibreOffice off the network (namespace skipped where unavailable)."""
    if request.param == "namespace" and not office.namespace_prefix():
        pytest.skip("this machine cannot create a network namespace")
    monkeypatch.setenv("TRIENKHAI_SOFFICE_ISOLATION", request.param)
    get_settings.cache_clear()
    yield request.param
    get_settings.cache_clear()


def test_the_files_do_make_plain_libreoffice_fetch(
    tmp_path: Path, linked_files: dict[str, Path], listener: tuple[int, list[str]]
) -> None:
    """Control: without the defence the same files reach the listener (the test can fail)."""
    _, hits = listener
    for name, path in linked_files.items():
        before = len(hits)
        _plain_soffice(path, "docx", tmp_path / f"plain-{name}")
        assert len(hits) > before, name


@pytest.mark.parametrize("kind", ["odt", "doc"])
def test_reader_conversion_makes_no_request(
    isolation: str, kind: str, linked_files: dict[str, Path], listener: tuple[int, list[str]]
) -> None:
    _, hits = listener
    result = read_file(linked_files[kind])
    assert "KẾ HOẠCH tuyên truyền" in result.text
    assert hits == []


def test_pdf_export_runs_without_network(
    isolation: str, tmp_path: Path, linked_files: dict[str, Path], listener: tuple[int, list[str]]
) -> None:
    """The report's .docx → PDF goes through the same isolated conversion."""
    _, hits = listener
    office.convert(
        program="soffice", source=linked_files["odt"], target="docx", outdir=tmp_path, timeout=180
    )
    hits.clear()
    docx = tmp_path / "chi-dao.docx"
    assert docx_to_pdf(docx.read_bytes()).startswith(b"%PDF")
    assert hits == []


def test_profile_blocks_links_and_proxies(tmp_path: Path) -> None:
    url = office.write_profile(tmp_path / "p")
    xcu = (tmp_path / "p" / "user" / "registrymodifications.xcu").read_text(encoding="utf-8")
    assert url.startswith("file://")
    assert "BlockUntrustedRefererLinks" in xcu
    assert "proxy.invalid" in xcu
