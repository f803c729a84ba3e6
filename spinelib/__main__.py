"""Allow ``python -m spinelib``."""

import sys

from spinelib.cli import main

sys.exit(main())
