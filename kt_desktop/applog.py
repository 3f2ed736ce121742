"""The program's log file: rotating, in the user's log folder, and never holding a NIK.

Tracebacks of unexpected errors go here (the GUI's error dialog names this file), so every
line passes a filter that masks any run of 16 digits before it is written.
"""

from __future__ import annotations

import logging
import logging.handlers
import re

from kt_desktop import paths

_SIXTEEN_DIGITS = re.compile(r"(?<!\d)\d{12}(\d{4})(?!\d)")


class MaskNik(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = _SIXTEEN_DIGITS.sub(r"************\1", message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            # Another handler may have formatted the traceback first: mask it whatever its source.
            record.exc_text = _SIXTEEN_DIGITS.sub(r"************\1", record.exc_text)
        return True


def setup(level: int = logging.INFO) -> None:
    """Attach the rotating log file to the root logger once."""
    root = logging.getLogger()
    if any(getattr(h, "_kt_desktop", False) for h in root.handlers):
        return
    try:
        handler: logging.Handler = logging.handlers.RotatingFileHandler(
            paths.log_file(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
    except OSError:
        handler = logging.StreamHandler()
    handler._kt_desktop = True  # type: ignore[attr-defined]
    handler.addFilter(MaskNik())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
