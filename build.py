#!/usr/bin/env python3
"""政府信息公开目录生成器 — command line. See README.md; the code lives in xxgk/."""
import sys

from xxgk.cli import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
