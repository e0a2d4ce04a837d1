"""``python -m mediawatch …`` runs the ``mediawatch`` command."""

import sys

from mediawatch.cli import main

sys.exit(main())
