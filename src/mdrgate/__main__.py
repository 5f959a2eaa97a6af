"""Allow ``python -m mdrgate``."""

from mdrgate.cli import main

raise SystemExit(main())
