#!/usr/bin/env python3
"""政府信息公开目录生成器 — command line. See README.md; the code lives in xxgk/."""
import os
import sys

from xxgk.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:])
    sys.stdout.flush()
    sys.stderr.flush()
    # everything is written and closed: skip tearing down the build's objects one by one
    # (a tenth of a second and more on a large site)
    os._exit(code)
