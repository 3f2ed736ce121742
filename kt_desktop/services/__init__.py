"""Use cases shared by the GUI and the CLI: no Qt, no argparse, no SQL of their own."""
