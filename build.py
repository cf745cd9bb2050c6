#!/usr/bin/env python3
"""政府信息公开目录生成器 — command line. See README.md; the code lives in xxgk/."""
import os
import sys

if __name__ == "__main__" and __spec__ is not None:
    # `python -m build` (PyPA's build, to make the wheel) run in this folder finds this file
    # first: hand over to it
    import runpy
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    runpy.run_module("build", run_name="__main__", alter_sys=True)
    sys.exit()

from xxgk.cli import main

if __name__ == "__main__":
    code = main(sys.argv[1:], prog="python build.py")
    sys.stdout.flush()
    sys.stderr.flush()
    # everything is written and closed: skip tearing down the build's objects one by one
    # (a tenth of a second and more on a large site)
    os._exit(code)
