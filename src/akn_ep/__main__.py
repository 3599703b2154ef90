"""``python -m akn_ep``: the ``akn-ep`` command.

Example:
    >>> import subprocess, sys
    >>> subprocess.run([sys.executable, "-m", "akn_ep", "--version"], capture_output=True,
    ...                text=True).stdout.startswith("akn-ep ")
    True
"""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
