"""govlens: a digital government observatory."""

__version__ = "0.1.0"

__all__ = ["__version__"]
