"""The program's icons: the SVGs in ``resources/icons`` drawn through QtSvg.

The SVGs are stroke icons in ``currentColor``; they are drawn in the palette's text colour,
and in white for the selected state (the sidebar's highlighted row), so one file serves
both. Rendering goes through :class:`QSvgRenderer` rather than an image plugin, so a build
that drops Qt's image-format plugins still has its icons.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QByteArray, QRectF, QSize, Qt
from PySide6.QtGui import QIcon, QPainter, QPixmap
from PySide6.QtSvg import QSvgRenderer

from kt_desktop import paths
from kt_desktop.gui.widgets import style

_SIZES = (16, 20, 24, 32, 48)


@cache
def _svg(name: str) -> bytes:
    return paths.resource("icons", f"{name}.svg").read_bytes()


def pixmap(name: str, size: int, colour: str = style.TEXT) -> QPixmap:
    """``name`` (file name without ``.svg``) drawn ``size`` pixels square in ``colour``."""
    data = _svg(name).replace(b"currentColor", colour.encode("ascii"))
    renderer = QSvgRenderer(QByteArray(data))
    image = QPixmap(QSize(size, size))
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@cache
def icon(name: str, colour: str = style.TEXT) -> QIcon:
    """An icon for buttons and lists: ``colour`` normally, white when selected."""
    result = QIcon()
    for size in _SIZES:
        result.addPixmap(pixmap(name, size, colour), QIcon.Mode.Normal)
        result.addPixmap(pixmap(name, size, "#ffffff"), QIcon.Mode.Selected)
    return result


def app_icon() -> QIcon:
    result = QIcon()
    for size in (16, 24, 32, 48, 64, 128, 256):
        result.addPixmap(pixmap("app", size))
    return result
