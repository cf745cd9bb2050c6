"""Stage 3: relations completed on both sides, validity as of a date, catalogue indexes."""
