"""reportlab only: one base template and one module per report (docs/DESIGN.md, "Reports")."""
