"""LibreOffice runs without network: an uploaded file must not make the server fetch an address.

A .odt or .doc can link an image at any URL; LibreOffice fetches it while converting (server-side
request forgery). Every conversion therefore runs in a new, empty network namespace when the
machine allows one (`unshare --net` as root, or through a user namespace otherwise), and always
with a private profile that blocks links from untrusted documents and sends any remaining web
request to a proxy that cannot exist (`proxy.invalid`, RFC 6761), the fallback where namespaces
are not available. Shared by the .doc reader (directives) and the PDF report export.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from functools import lru_cache
from pathlib import Path

from trienkhai.settings import get_settings

# Two ways to get an empty network namespace: root may create one directly; another user needs a
# user namespace mapped to root first (allowed on most distributions).
_NAMESPACE_PREFIXES = (("--net",), ("--user", "--map-root-user", "--net"))
_DEAD_PROXY = "proxy.invalid"
_PROFILE_ITEMS = (
    ("/org.openoffice.Office.Common/Security/Scripting", "BlockUntrustedRefererLinks", "true"),
    ("/org.openoffice.Office.Writer/Content/Update", "Link", "2"),  # never update links
    ("/org.openoffice.Inet/Settings", "ooInetProxyType", "1"),  # manual proxy...
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyName", _DEAD_PROXY),  # ...that cannot exist
    ("/org.openoffice.Inet/Settings", "ooInetHTTPProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyName", _DEAD_PROXY),
    ("/org.openoffice.Inet/Settings", "ooInetHTTPSProxyPort", "9"),
    ("/org.openoffice.Inet/Settings", "ooInetNoProxy", ""),
)
# Variables that would let a request bypass the dead proxy or point it elsewhere.
_PROXY_VARIABLES = {"no_proxy", "http_proxy", "https_proxy", "all_proxy", "ftp_proxy"}
PROBE_TIMEOUT_S = 10


@lru_cache(maxsize=1)
def namespace_prefix() -> tuple[str, ...]:
    """The `unshare` command that gives a process no network here, or () when none works."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return ()
    for flags in _NAMESPACE_PREFIXES:
        command = (unshare, *flags)
        try:
            done = subprocess.run(
                [*command, "true"], capture_output=True, timeout=PROBE_TIMEOUT_S, check=False
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return command
    return ()


def isolation() -> str:
    """How conversions are cut off from the network: 'namespace' or 'profile'."""
    wanted = get_settings().soffice_isolation
    if wanted == "profile":
        return "profile"
    if namespace_prefix():
        return "namespace"
    if wanted == "namespace":
        msg = (
            "TRIENKHAI_SOFFICE_ISOLATION=namespace but this machine cannot create a network "
            "namespace (unshare --net failed)"
        )
        raise RuntimeError(msg)
    return "profile"


def write_profile(folder: Path) -> str:
    """Create a LibreOffice user profile that blocks remote content; returns its file URL."""
    user = folder / "user"
    user.mkdir(parents=True, exist_ok=True)
    items = "\n".join(
        f'<item oor:path="{path}"><prop oor:name="{name}" oor:op="fuse">'
        f"<value>{value}</value></prop></item>"
        for path, name, value in _PROFILE_ITEMS
    )
    (user / "registrymodifications.xcu").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
        'xmlns:xs="http://www.w3.org/2001/XMLSchema" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">\n'
        f"{items}\n</oor:items>\n",
        encoding="utf-8",
    )
    return folder.as_uri()


def _environment() -> dict[str, str]:
    """The server's environment without proxy variables."""
    return {k: v for k, v in os.environ.items() if k.lower() not in _PROXY_VARIABLES}


def convert(
    *, program: str, source: Path, target: str, outdir: Path, timeout: float
) -> subprocess.CompletedProcess[bytes]:
    """Run a headless conversion with no network; subprocess.TimeoutExpired past the timeout."""
    # A private profile per run also lets conversions run at once without a profile lock.
    profile = write_profile(outdir / "profile")
    prefix = namespace_prefix() if isolation() == "namespace" else ()
    command = [
        *prefix,
        program,
        f"-env:UserInstallation={profile}",
        "--headless",
        "--norestore",
        "--convert-to",
        target,
        "--outdir",
        str(outdir),
        str(source.resolve()),
    ]
    return subprocess.run(
        command, capture_output=True, timeout=timeout, check=False, env=_environment()
    )
