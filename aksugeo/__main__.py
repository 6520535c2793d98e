"""Run the aksugeo command: ``python -m aksugeo``."""

import sys

from aksugeo.cli import main

sys.exit(main())
