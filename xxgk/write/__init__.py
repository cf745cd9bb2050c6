"""Stage 5: the output is written aside, then swapped into place; SHA256SUMS; the search index."""
