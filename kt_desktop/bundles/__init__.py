"""The ``.ktb`` data bundle: write, read and verify, crypto, merge (DESIGN §6)."""
