"""Stage 1: read files into raw entries (encoding, front matter, YAML with line numbers)."""
