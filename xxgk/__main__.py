"""`python -m xxgk …`: the same as the installed `xxgk` command."""
import sys

from .cli import main

sys.exit(main(sys.argv[1:], prog="python -m xxgk"))
