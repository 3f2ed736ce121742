"""Printing a report's PDF through the print system (CUPS), as vector pages.

The PDF the program made is handed to CUPS as it is (``lp``): the printer gets text and
lines, not 300 dpi pictures (a 5-page monthly report: ~0.5 MB instead of 3.5 MB, and a PDF
printer's copy keeps its text). CUPS's own filters turn it into what the printer speaks.

Which sheet: :func:`printer_paper` reads the printer's default media (``lpoptions``; where
that gets no PPD, e.g. over CUPS's local socket or for IPP Everywhere queues, the scheduler's
``media-default`` over IPP), so a report is laid out for the paper in the printer's tray (A4, F4, Letter; see
:mod:`kt_desktop.domain.paper`). A job sent on another sheet than the PDF's asks CUPS to fit
the page (``fit-to-page``, which scales and centres it).

No Qt here: the CLI prints with it, and the GUI's print dialog calls it. Windows has no
``lp``: there the GUI keeps its Qt path (``gui/widgets/pdf_preview.py``). Every command has
a timeout, and runs with ``LC_ALL=C`` so its answers can be read.
"""

from __future__ import annotations

import http.client
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from kt_desktop.domain import paper as papers
from kt_desktop.domain.errors import KtError
from kt_desktop.i18n import _

#: Seconds a question to the print system (lpstat, lpoptions) may take.
QUERY_TIMEOUT = 10.0
#: Seconds handing over a job (``lp`` copies the PDF to the spooler) may take.
SUBMIT_TIMEOUT = 60.0

_REQUEST_ID = re.compile(r"request id is (\S+)")


@dataclass(frozen=True, slots=True)
class PrintJob:
    """What the print system accepted."""

    printer: str
    job_id: str
    bytes_sent: int
    copies: int
    media: str | None
    fitted: bool  # the page was laid out for another sheet: CUPS scales and centres it


def available() -> bool:
    """True where PDFs can be handed to CUPS (Linux, macOS with ``lp`` or ``lpr``)."""
    return sys.platform != "win32" and _submitter() is not None


def _submitter() -> str | None:
    for program in ("lp", "lpr"):
        if shutil.which(program):
            return program
    return None


def no_print_system(program: str = "lp") -> KtError:
    """The refusal where there is no CUPS to hand the PDF to."""
    return KtError(
        _("This computer has no print system ({program} is missing). Install CUPS, or "
          "save the report as PDF and print it from another program.").format(program=program),
        code="no_print_system",
    )


def _run(args: list[str], timeout: float) -> subprocess.CompletedProcess[str]:
    """Run a print-system command; a missing command or a hang become Indonesian errors."""
    env = dict(os.environ, LC_ALL="C", LANG="C")
    try:
        # A session of its own, so that a timeout ends the command and anything it started
        # (a wrapper script's children would otherwise keep its output open, and us waiting).
        process = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   stdin=subprocess.DEVNULL, text=True, env=env,
                                   start_new_session=sys.platform != "win32")
    except FileNotFoundError:
        raise no_print_system(args[0]) from None
    with process:
        try:
            out, err = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            if sys.platform != "win32":
                os.killpg(process.pid, signal.SIGKILL)
            else:
                process.kill()
            process.communicate()
            raise KtError(
                _("The print system did not answer within {seconds} seconds ({program}). "
                  "Check that the printing service (CUPS) is running, then try again.").format(
                    seconds=round(timeout), program=args[0]),
                code="print_timeout",
            ) from None
    return subprocess.CompletedProcess(args, process.returncode, out, err)


def printers() -> list[str]:
    """The names of the print queues, as CUPS lists them (none: an empty list)."""
    if not available():
        return []
    result = _run(["lpstat", "-e"], QUERY_TIMEOUT)
    if result.returncode != 0:
        return []
    return [line.strip() for line in result.stdout.splitlines() if line.strip()]


def default_printer() -> str | None:
    """The default queue (``lpstat -d``, which also reads ``lpoptions -d`` and LPDEST)."""
    if not available():
        return None
    result = _run(["lpstat", "-d"], QUERY_TIMEOUT)
    match = re.search(r"destination:\s*(\S+)", result.stdout)
    return match.group(1) if match else None


def _options(printer: str) -> dict[str, str]:
    """The queue's default options (``lpoptions -p``: the administrator's and the user's);
    none where ``lpoptions`` is missing or does not answer (``lp`` then uses its own)."""
    try:
        result = _run(["lpoptions", "-p", printer], QUERY_TIMEOUT)
    except KtError:
        return {}
    if result.returncode != 0:
        return {}
    options: dict[str, str] = {}
    try:
        words = shlex.split(result.stdout)
    except ValueError:
        words = result.stdout.split()
    for word in words:
        name, _sep, value = word.partition("=")
        options[name] = value
    return options


def _choices(printer: str) -> tuple[list[str], str | None]:
    """The page sizes the queue's driver lists, and the one marked default (``*``)."""
    try:
        result = _run(["lpoptions", "-p", printer, "-l"], QUERY_TIMEOUT)
    except KtError:
        return [], None
    if result.returncode != 0:
        return [], None
    for line in result.stdout.splitlines():
        name, _sep, values = line.partition(":")
        if name.split("/")[0].strip() not in ("PageSize", "media"):
            continue
        choices, default = [], None
        for value in values.split():
            if value.startswith("*"):
                value = value[1:]
                default = value
            choices.append(value)
        return choices, default
    return [], None


def default_media(printer: str) -> str | None:
    """The name of the sheet ``printer`` prints on unless told otherwise, or None."""
    options = _options(printer)
    for key in ("media", "PageSize"):
        value = options.get(key, "")
        for part in value.split(","):  # media=A4,Tray1: the size is one of the parts
            if papers.from_media_name(part) is not None:
                return part
    _choices_list, default = _choices(printer)
    if default:
        return default
    # lpoptions -l needs the queue's PPD, which CUPS will not hand over on some set-ups
    # (only a local socket; IPP Everywhere queues): ask the scheduler itself.
    try:
        return ipp_media_default(printer)
    except (OSError, ValueError):
        return None


#: Where CUPS listens when ``CUPS_SERVER`` does not say: its socket, then the port.
DEFAULT_SERVERS = ("/run/cups/cups.sock", "/var/run/cups/cups.sock", "localhost:631")


def _ipp_request(printer: str) -> bytes:
    """An IPP 2.0 Get-Printer-Attributes request for ``media-default`` and
    ``media-col-default`` (RFC 8011, PWG 5100.7)."""
    def attribute(tag: int, name: str, value: str) -> bytes:
        raw_name, raw_value = name.encode(), value.encode()
        return (bytes([tag]) + len(raw_name).to_bytes(2, "big") + raw_name
                + len(raw_value).to_bytes(2, "big") + raw_value)

    return (b"\x02\x00" + (0x000B).to_bytes(2, "big") + (1).to_bytes(4, "big") + b"\x01"
            + attribute(0x47, "attributes-charset", "utf-8")
            + attribute(0x48, "attributes-natural-language", "en")
            + attribute(0x45, "printer-uri", f"ipp://localhost/printers/{quote(printer)}")
            + attribute(0x44, "requested-attributes", "media-default")
            + attribute(0x44, "", "media-col-default")  # a second value of the same
            + b"\x03")


def _ipp_media(response: bytes) -> str | None:
    """The default sheet in a Get-Printer-Attributes response: ``media-default`` when it
    names one, else the size in ``media-col-default`` (CUPS leaves the name empty for some
    PPD sizes) as ``Custom.WxHmm``."""
    if len(response) < 8 or response[2:4] not in (b"\x00\x00", b"\x00\x01"):
        return None  # not successful-ok (or -ignored-or-substituted)
    at, name, member = 8, "", ""
    named: str | None = None
    size: dict[str, int] = {}
    while at < len(response):
        tag = response[at]
        at += 1
        if tag == 0x03:
            break
        if tag < 0x10:
            continue  # a group delimiter
        name_length = int.from_bytes(response[at:at + 2], "big")
        name = response[at + 2:at + 2 + name_length].decode(errors="replace") or name
        at += 2 + name_length
        value_length = int.from_bytes(response[at:at + 2], "big")
        value = response[at + 2:at + 2 + value_length]
        at += 2 + value_length
        if name == "media-default" and tag in (0x41, 0x42, 0x44) and named is None:
            named = value.decode(errors="replace")
        elif tag == 0x4A:  # memberAttrName inside a collection
            member = value.decode(errors="replace")
        elif tag == 0x21 and member in ("x-dimension", "y-dimension") and value_length == 4:
            size.setdefault(member, int.from_bytes(value, "big"))
    if named:
        return named
    if len(size) == 2:  # hundredths of a millimetre
        return f"Custom.{size['x-dimension'] / 100:g}x{size['y-dimension'] / 100:g}mm"
    return None


class _UnixHTTPConnection(http.client.HTTPConnection):
    def __init__(self, path: str, timeout: float) -> None:
        super().__init__("localhost", timeout=timeout)
        self._path = path

    def connect(self) -> None:
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self._path)


def ipp_media_default(printer: str) -> str | None:
    """The queue's ``media-default`` as the scheduler reports it (IPP, no PPD needed)."""
    configured = os.environ.get("CUPS_SERVER", "").strip()
    servers = (configured,) if configured else DEFAULT_SERVERS
    for server in servers:
        if server.startswith("/"):
            if not Path(server).exists():
                continue
            connection: http.client.HTTPConnection = _UnixHTTPConnection(server, QUERY_TIMEOUT)
        else:
            host, _sep, port = server.partition(":")
            connection = http.client.HTTPConnection(host, int(port or 631),
                                                    timeout=QUERY_TIMEOUT)
        try:
            connection.request("POST", f"/printers/{quote(printer)}", _ipp_request(printer),
                               {"Content-Type": "application/ipp"})
            response = connection.getresponse()
            body = response.read()
        except OSError:
            continue
        finally:
            connection.close()
        if response.status == 200:
            return _ipp_media(body)
    return None


def printer_paper(printer: str | None = None) -> papers.Paper | None:
    """Our paper (A4, F4, Letter) that ``printer`` (default: the default queue) holds."""
    if not available():
        return None
    name = printer or default_printer()
    if not name:
        return None
    media = default_media(name)
    return papers.from_media_name(media) if media else None


def media_name(printer: str, paper: papers.Paper) -> str:
    """What to ask ``printer`` for to get ``paper``: its own name for the sheet if its
    driver lists one (F4 as ``FanFoldGermanLegal``, ``Folio`` …), else the CUPS name."""
    choices, default = _choices(printer)
    if default and papers.from_media_name(default) == paper:
        return default
    if paper.label in choices:  # "A4", "Letter", "F4": the plain name first (not AnsiA)
        return paper.label
    for choice in choices:
        if papers.from_media_name(choice) == paper:
            return choice
    return paper.media


def submit(
    pdf: Path,
    *,
    printer: str | None = None,
    paper: papers.Paper | None = None,
    laid_out_for: papers.Paper | None = None,
    copies: int = 1,
    pages: str | None = None,
    title: str | None = None,
) -> PrintJob:
    """Hand ``pdf`` to CUPS as it is; returns the job the spooler accepted.

    ``paper`` is the sheet to print on (default: the printer's own), ``laid_out_for`` the
    sheet the PDF was made for: when they differ CUPS is asked to fit the page, which it
    scales and centres. ``pages`` is a range as the print dialog writes it ("1-3,5").
    """
    program = _submitter() if sys.platform != "win32" else None
    if program is None:
        raise no_print_system("lp")
    if copies < 1 or copies > 999:
        raise KtError(_("Print between 1 and 999 copies."), code="copies")
    if pages is not None and not re.fullmatch(r"\d+(-\d+)?(,\d+(-\d+)?)*", pages):
        raise KtError(_("Write the pages as numbers and ranges, e.g. 1-3,5."), code="pages")
    name = printer or default_printer()
    if not name:
        raise KtError(
            _("No printer is set up on this computer. Add the printer in the system's printer "
              "settings, then print again."),
            code="no_printer",
        )
    media = media_name(name, paper) if paper is not None else None
    fitted = paper is not None and laid_out_for is not None and paper != laid_out_for
    pdf = Path(pdf).resolve()
    options: list[str] = []
    if media:
        options += ["-o", f"media={media}"]
    if fitted:
        options += ["-o", "fit-to-page"]
    if pages:
        options += ["-o", f"page-ranges={pages}"]
    if program == "lp":
        args = ["lp", "-d", name, "-n", str(copies)]
        if title:
            args += ["-t", title]
    else:
        args = ["lpr", "-P", name, "-#", str(copies)]
        if title:
            args += ["-T", title]
    args += [*options, str(pdf)]
    result = _run(args, SUBMIT_TIMEOUT)
    if result.returncode != 0:
        raise _refusal(name, (result.stderr or result.stdout).strip())
    match = _REQUEST_ID.search(result.stdout)
    return PrintJob(
        printer=name,
        job_id=match.group(1) if match else "",
        bytes_sent=pdf.stat().st_size,
        copies=copies,
        media=media,
        fitted=fitted,
    )


def _refusal(printer: str, said: str) -> KtError:
    """What ``lp`` said, as a sentence the secretary can act on (its words kept at the end)."""
    lowered = said.lower()
    if "does not exist" in lowered or "unknown destination" in lowered:
        text = _("The printer {printer} is not set up on this computer. Choose another "
                 "printer, or add it in the system's printer settings.")
    elif "not accepting" in lowered or "disabled" in lowered or "paused" in lowered:
        text = _("The printer {printer} is not taking jobs now (stopped or paused). Start it "
                 "again in the system's printer settings, then print again.")
    else:
        text = _("The printer {printer} did not take the report. Check the printer in the "
                 "system's printer settings, or save the report as PDF.")
    detail = said.splitlines()[-1].strip() if said else ""
    message = text.format(printer=printer)
    return KtError(f"{message} ({detail})" if detail else message, code="print_refused")
