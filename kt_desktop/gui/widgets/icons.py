"""The program's icons: the SVGs in ``resources/icons`` drawn through QtSvg.

The SVGs are stroke icons in ``currentColor``; they are drawn in the palette's text colour,
and in white for the selected state (the sidebar's highlighted row), so one file serves
both. Rendering goes through :class:`QSvgRenderer` rather than an image plugin, so a build
that drops Qt's image-format plugins still has its icons.

An icon is drawn when Qt first asks for it, at the size asked (:func:`_engine_type`):
drawing every size of the sidebar's 18 icons up front was 190 renders before the first
paint (issue 16), and a fixed set of sizes was blurred at 125 % and 150 % scaling. QtSvg
itself loads with the first icon drawn: the program's start draws none before its window
has painted (the sidebar shows :func:`blank` icons until then, the window icon is set after).
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRectF, QSize
from PySide6.QtGui import QColor, QIcon, QPixmap
from PySide6.QtWidgets import QApplication

from kt_desktop import paths
from kt_desktop.gui.widgets import style

if TYPE_CHECKING:
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QIconEngine

#: The colour of an icon in a selected row (the sidebar's highlighted page).
SELECTED = "#ffffff"
#: Qt.GlobalColor.transparent, without naming Qt's namespace: the sidebar's blank icons are
#: made before the first paint, and PySide builds the namespace whole when first named.
CLEAR = QColor(0, 0, 0, 0)


@cache
def _svg(name: str) -> bytes:
    return paths.resource("icons", f"{name}.svg").read_bytes()


def pixmap(name: str, size: int, colour: str = style.TEXT) -> QPixmap:
    """``name`` (file name without ``.svg``) drawn ``size`` pixels square in ``colour``."""
    from PySide6.QtGui import QPainter
    from PySide6.QtSvg import QSvgRenderer  # with the first icon drawn, not before the paint

    data = _svg(name).replace(b"currentColor", colour.encode("ascii"))
    renderer = QSvgRenderer(QByteArray(data))
    image = QPixmap(QSize(size, size))
    image.fill(CLEAR)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter, QRectF(0, 0, size, size))
    painter.end()
    return image


@cache
def _engine_type() -> type[QIconEngine]:
    """The class of the icons' engine, made with the first icon: the program's first paint
    draws none, and needs neither QIconEngine's class nor QPainter's (issue 16)."""
    from PySide6.QtGui import QIconEngine, QPainter

    class SvgIconEngine(QIconEngine):
        """One SVG drawn at the size Qt asks for: ``colour`` normally, :data:`SELECTED` when
        selected, greyed by the style when disabled (as Qt does for an icon of pixmaps)."""

        def __init__(self, name: str, colour: str) -> None:
            super().__init__()
            self._name, self._colour = name, colour
            self._drawn: dict[tuple[int, int, QIcon.Mode], QPixmap] = {}

        def pixmap(self, size: QSize, mode: QIcon.Mode, state: QIcon.State) -> QPixmap:
            key = (size.width(), size.height(), mode)
            drawn = self._drawn.get(key)
            if drawn is None:
                side = max(1, min(size.width(), size.height()))
                if mode == QIcon.Mode.Selected:
                    drawn = pixmap(self._name, side, SELECTED)
                else:
                    drawn = pixmap(self._name, side, self._colour)
                    if mode == QIcon.Mode.Disabled:
                        from PySide6.QtWidgets import QStyleOption  # not before the first paint

                        drawn = QApplication.style().generatedIconPixmap(
                            mode, drawn, QStyleOption())
                self._drawn[key] = drawn
            return drawn

        def paint(self, painter: QPainter, rect: QRect, mode: QIcon.Mode, state: QIcon.State
                  ) -> None:
            painter.drawPixmap(rect, self.pixmap(rect.size(), mode, state))

        def clone(self) -> QIconEngine:
            return SvgIconEngine(self._name, self._colour)

    return SvgIconEngine


@cache
def icon(name: str, colour: str = style.TEXT) -> QIcon:
    """An icon for buttons and lists: ``colour`` normally, white when selected."""
    _svg(name)  # a missing file fails here, not at its first paint
    return QIcon(_engine_type()(name, colour))


@cache
def app_icon() -> QIcon:
    """The program's icon (window title bars, the task bar)."""
    return icon("app")


@cache
def blank(size: int) -> QIcon:
    """A transparent ``size`` pixels square icon: holds an icon's place in a list (the
    sidebar's text stands where it will stand) until the real icon is set, without QtSvg."""
    image = QPixmap(QSize(size, size))
    image.fill(CLEAR)
    return QIcon(image)
