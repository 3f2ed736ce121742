"""Pure Python rules of the Karang Taruna domain: no SQL, no Qt, no files."""
