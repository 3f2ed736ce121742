"""Dialogs: forms that load through a query op and save through a write op."""
