"""The ``.ktb`` data bundle: write, read and verify, crypto, merge (docs/DESIGN.md, "The data bundle")."""
