"""KT Desktop: the books of a village Karang Taruna, its reports and its data bundles."""

__version__ = "0.1.0"
