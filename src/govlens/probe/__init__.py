"""I/O: checking that distribution links work, politely and safely."""
