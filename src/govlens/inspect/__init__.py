"""I/O: downloading and validating tabular files."""
