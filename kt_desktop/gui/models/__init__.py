"""Table models: thin adapters between service dataclasses and Qt views."""
