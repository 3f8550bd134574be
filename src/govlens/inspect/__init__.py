"""Inspecting tabular files: what is served, how it is encoded, and what is wrong in it.

:func:`inspect_file` reads a local file (CSV, TSV, XLSX, XLS, ODS, possibly
gzip/bz2/xz/zip-compressed) in bounded memory and returns a
:class:`~govlens.model.TableReport` in Frictionless's error vocabulary.
"""

from govlens.inspect.files import inspect_file, inspect_url

__all__ = ["inspect_file", "inspect_url"]
