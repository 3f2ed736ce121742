"""A private CUPS for the printing tests: its own cupsd, config and spool in a temporary
folder, on a free port of 127.0.0.1, with cups-pdf queues whose default paper is A4, Letter
or F4. Nothing of the machine's own CUPS is used or changed, except one
``/etc/cups/cups-pdf-<queue>.conf`` per queue (cups-pdf reads its settings only from
there), removed again when the server stops.

Needs root (cupsd runs the cups-pdf backend as root) and the Debian packages cups,
cups-client, cups-bsd and printer-driver-cups-pdf (``scripts/setup.sh --test``). Every
wait has a timeout.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

PPD = Path("/usr/share/ppd/cups-pdf/CUPS-PDF_opt.ppd")
CUPS_PDF_CONF = Path("/etc/cups")
F4_POINTS = "609.45 935.43"  # 215 x 330 mm

# The PPD's default sheet for each of our papers; F4 is added to the PPD as Indonesian
# printer drivers list it.
DEFAULT_SIZE = {"a4": "A4", "letter": "Letter", "f4": "F4"}


def missing() -> str | None:
    """Why a private CUPS cannot run here, or None."""
    for program in ("cupsd", "lpadmin", "lp", "lpstat", "lpoptions"):
        if shutil.which(program) is None:
            return f"{program} is missing: run scripts/setup.sh --test"
    if not PPD.is_file() or not Path("/usr/lib/cups/backend/cups-pdf").exists():
        return "printer-driver-cups-pdf is missing: run scripts/setup.sh --test"
    if os.geteuid() != 0:
        return "a private cupsd with the cups-pdf backend needs root"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _ppd_with_default(size: str) -> str:
    """The cups-pdf PPD with an F4 sheet added and ``size`` as the default."""
    lines = []
    for line in PPD.read_text(encoding="latin-1").splitlines():
        keyword = line.split(" ", 1)[0]
        if keyword in ("*DefaultPageSize:", "*DefaultPageRegion:", "*DefaultImageableArea:",
                       "*DefaultPaperDimension:"):
            line = f"{keyword} {size}"
        lines.append(line)
        if line.startswith("*PageSize A4/"):
            lines.append(f'*PageSize F4/F4 (215 x 330 mm): "<</PageSize[{F4_POINTS}]'
                         '/ImagingBBox null>>setpagedevice"')
        elif line.startswith("*PageRegion A4/"):
            lines.append(f'*PageRegion F4/F4 (215 x 330 mm): "<</PageSize[{F4_POINTS}]'
                         '/ImagingBBox null>>setpagedevice"')
        elif line.startswith("*ImageableArea A4/"):
            lines.append(f'*ImageableArea F4/F4 (215 x 330 mm): "0 0 {F4_POINTS}"')
        elif line.startswith("*PaperDimension A4/"):
            lines.append(f'*PaperDimension F4/F4 (215 x 330 mm): "{F4_POINTS}"')
    return "\n".join(lines) + "\n"


class CupsServer:
    """One private cupsd; :meth:`add_pdf_queue` adds a cups-pdf printer."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="kt-cups-"))
        self.root.chmod(0o755)  # the filters run as the lp user and read the spool
        self.port = _free_port()
        self.address = f"127.0.0.1:{self.port}"
        self.socket = self.root / "cups.sock"  # where a desktop's CUPS also listens
        self.queues: list[str] = []
        self.process: subprocess.Popen[bytes] | None = None
        for name in ("spool", "cache", "state", "log", "ppd"):
            (self.root / name).mkdir()
        (self.root / "tmp").mkdir(mode=0o1777)
        (self.root / "tmp").chmod(0o1777)

    def env(self) -> dict[str, str]:
        return dict(os.environ, CUPS_SERVER=self.address, LC_ALL="C")

    def run(self, *args: str, timeout: float = 30) -> subprocess.CompletedProcess[str]:
        return subprocess.run(list(args), capture_output=True, text=True, timeout=timeout,
                              env=self.env(), check=False)

    def start(self) -> None:
        (self.root / "cupsd.conf").write_text(
            f"Listen 127.0.0.1:{self.port}\nListen {self.socket}\n"
            "LogLevel warn\nMaxLogSize 0\nWebInterface No\nBrowsing No\n"
            "DefaultAuthType None\nMaxJobTime 120\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Location /admin>\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n",
            encoding="utf-8")
        (self.root / "cups-files.conf").write_text(
            f"ServerRoot {self.root}\nRequestRoot {self.root / 'spool'}\n"
            f"TempDir {self.root / 'tmp'}\nCacheDir {self.root / 'cache'}\n"
            f"StateDir {self.root / 'state'}\n"
            f"AccessLog {self.root / 'log' / 'access_log'}\n"
            f"ErrorLog {self.root / 'log' / 'error_log'}\n"
            f"PageLog {self.root / 'log' / 'page_log'}\n",
            encoding="utf-8")
        self.process = subprocess.Popen(
            ["cupsd", "-f", "-c", str(self.root / "cupsd.conf"),
             "-s", str(self.root / "cups-files.conf")],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"cupsd stopped: {self.log()}")
            if "is running" in self.run("lpstat", "-r", timeout=5).stdout:
                return
            time.sleep(0.2)
        raise RuntimeError(f"cupsd did not start within 20 s: {self.log()}")

    def add_pdf_queue(self, name: str, paper: str) -> Path:
        """A cups-pdf printer ``name`` with ``paper`` (a4, letter, f4) as its default sheet;
        returns the folder cups-pdf writes its PDFs into."""
        out = self.root / f"out-{name}"
        out.mkdir(mode=0o777)
        out.chmod(0o777)
        (CUPS_PDF_CONF / f"cups-pdf-{name}.conf").write_text(
            f"Out {out}\nAnonDirName {out}\nLabel 0\n", encoding="utf-8")
        ppd = self.root / "ppd" / f"{name}.ppd"
        ppd.write_text(_ppd_with_default(DEFAULT_SIZE[paper]), encoding="latin-1")
        self.queues.append(name)
        done = self.run("lpadmin", "-p", name, "-E", "-v", f"cups-pdf:/{name}", "-P", str(ppd))
        if done.returncode != 0:
            raise RuntimeError(f"lpadmin failed: {done.stderr}")
        return out

    def log(self) -> str:
        path = self.root / "log" / "error_log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        for name in self.queues:
            (CUPS_PDF_CONF / f"cups-pdf-{name}.conf").unlink(missing_ok=True)
        shutil.rmtree(self.root, ignore_errors=True)


def wait_for_pdf(folder: Path, timeout: float = 90) -> Path:
    """The PDF cups-pdf writes into ``folder``, once it is complete: it ends with ``%%EOF``
    and its size has not changed for a moment (ghostscript writes it in pieces)."""
    deadline = time.monotonic() + timeout
    last_size, steady = -1, 0
    while time.monotonic() < deadline:
        found = sorted(folder.glob("*.pdf"))
        if found:
            data = found[0].read_bytes()
            steady = steady + 1 if len(data) == last_size else 0
            last_size = len(data)
            if steady >= 2 and b"%%EOF" in data[-1024:]:
                return found[0]
        time.sleep(0.3)
    raise TimeoutError(f"cups-pdf wrote nothing whole into {folder} within {timeout} s")


@contextmanager
def private_cups(papers: tuple[str, ...] = ("a4", "letter", "f4"),
                 ) -> Iterator[tuple[CupsServer, dict[str, tuple[str, Path]]]]:
    """A running private CUPS with one cups-pdf queue per paper, the clients of this process
    (``lp``, ``lpstat``) pointed at it and given a home of their own (CUPS reads the user's
    defaults from ``$HOME/.cups``); everything put back afterwards.

    Yields the server and {paper: (queue name, folder cups-pdf writes into)}.
    """
    server = CupsServer()
    home = server.root / "home"
    home.mkdir()
    names = ("CUPS_SERVER", "HOME", "LPDEST", "PRINTER")
    before = {name: os.environ.get(name) for name in names}
    try:
        server.start()
        queues = {}
        for key in papers:
            name = f"kt{os.getpid()}{key}"
            queues[key] = (name, server.add_pdf_queue(name, key))
        os.environ.update(CUPS_SERVER=server.address, HOME=str(home))
        os.environ.pop("LPDEST", None)
        os.environ.pop("PRINTER", None)
        yield server, queues
    finally:
        for name, value in before.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        server.stop()


def require() -> None:
    """Skip where a private cupsd cannot run for want of root; fail where the packages
    ``scripts/setup.sh --test`` installs are missing (CI must not pass by skipping)."""
    import pytest

    why = missing()
    if why is None:
        return
    if os.geteuid() != 0:
        pytest.skip(why)
    pytest.fail(why)
