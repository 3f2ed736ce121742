"""The PySide6 front end: thin pages and dialogs over ``kt_desktop.services``."""
