"""reportlab only: one base template and one module per report (DESIGN §8)."""
