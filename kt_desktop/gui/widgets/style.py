"""The one look of the program: Fusion, one light palette, one app-wide font size.

Colours are named here once so that pages, cards and error labels agree; fonts are never
sized in style sheets (a style-sheet size would ignore the font-size setting), only as a
factor of the application font (:class:`~kt_desktop.gui.widgets.labels.ScaledLabel`).
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory

if TYPE_CHECKING:
    from PySide6.QtWidgets import QProxyStyle

ACCENT = "#1d6fa5"
ACCENT_DARK = "#15557f"
TEXT = "#1f2933"
MUTED = "#52606d"
WINDOW = "#f4f6f8"
SIDEBAR = "#e6ebf0"
BORDER = "#cbd2d9"
ERROR = "#b42318"
WARNING_BG = "#fff4e5"
WARNING_BORDER = "#f0b429"
INFO_BG = "#eaf3fb"
CARD_BG = "#ffffff"


def light_palette() -> QPalette:
    palette = QPalette()
    roles = {
        QPalette.ColorRole.Window: WINDOW,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f0f3f6",
        QPalette.ColorRole.ToolTipBase: "#fffbe6",
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: "#7b8794",
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: "#e9edf1",
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: ACCENT,
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: ACCENT,
        QPalette.ColorRole.LinkVisited: ACCENT_DARK,
        QPalette.ColorRole.Light: "#ffffff",
        QPalette.ColorRole.Midlight: "#e4e7eb",
        QPalette.ColorRole.Mid: "#9aa5b1",
        QPalette.ColorRole.Dark: "#7b8794",
        QPalette.ColorRole.Shadow: "#3e4c59",
    }
    for role, colour in roles.items():
        palette.setColor(role, QColor(colour))
    disabled = QColor("#9aa5b1")
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Base, QColor(WINDOW))
    return palette


@functools.cache
def focus_style_type() -> type[QProxyStyle]:
    """:class:`FocusStyle`, made when first used: the program's first paint is drawn with
    plain Fusion, and the classes it names are not loaded before (issue 16)."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QPainter, QPen
    from PySide6.QtWidgets import QProxyStyle, QStyle, QStyleOption, QTableView, QWidget

    class FocusStyle(QProxyStyle):
        """Fusion, with the keyboard's place seen (issue 23): the current cell of a table
        that has the focus is framed in dark text colour (Fusion's faint frame vanished
        on the selected row's colour). A style, not a style sheet: style sheets on views
        with Python models crash PySide6 (see DESIGN.md, "Measured facts")."""

        def drawPrimitive(self, element: QStyle.PrimitiveElement, option: QStyleOption,
                          painter: QPainter, widget: QWidget | None = None) -> None:
            if element == QStyle.PrimitiveElement.PE_FrameFocusRect and isinstance(
                    widget, QTableView) and option.rect.height() < widget.height() // 2:
                painter.save()
                pen = QPen(QColor(TEXT))
                pen.setWidth(2)
                painter.setPen(pen)
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
                painter.restore()
                return
            super().drawPrimitive(element, option, painter, widget)

    return FocusStyle


_focus_style: QProxyStyle | None = None


def apply_theme(app: QApplication, *, focus_style: bool = True, fusion: bool = False) -> None:
    """Fusion (with :class:`FocusStyle`) and the light palette, the same on Windows 7-11
    and Linux. ``focus_style=False``: plain Fusion until :func:`use_focus_style`, for the
    program's first paint (``gui.app.run``): FocusStyle is Python that Qt calls for every
    frame and panel it draws. ``fusion``: the application was made in Fusion
    (:func:`fusion_application`), so its style is not asked for: that hands Qt's style to
    Python, and PySide builds QStyle's class and its enums first (~45 million instructions,
    8 ms before the first paint; issue 16)."""
    if focus_style:
        use_focus_style(app)
    elif not fusion and app.style() is not _focus_style and app.style().name().lower() != "fusion":
        app.setStyle(QStyleFactory.create("Fusion"))
    app.setPalette(light_palette())


def fusion_application(argv0: str) -> QApplication:
    """A new application in Fusion from its first widget (``-style``, which Qt reads as it
    is made): :func:`apply_theme` with ``fusion=True`` need not ask it for its style."""
    return QApplication([argv0, "-style", "Fusion"])


def use_focus_style(app: QApplication) -> None:
    """Fusion with :class:`FocusStyle` (the palette stays as it was set)."""
    global _focus_style
    if _focus_style is None or not shiboken6.isValid(_focus_style):
        # (The application owns its style: a test that set another deleted this one.)
        _focus_style = focus_style_type()(QStyleFactory.create("Fusion"))
    if app.style() is not _focus_style:
        palette = app.palette()
        app.setStyle(_focus_style)
        app.setPalette(palette)


def apply_font_size(app: QApplication, points: int) -> None:
    """Set the application font size; widgets without a font of their own follow at once."""
    font = QFont(app.font())
    font.setPointSize(points)
    app.setFont(font)
