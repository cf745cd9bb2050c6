"""Stage 2: raw entries → typed entries. Every field rule, personal data, report sums."""
