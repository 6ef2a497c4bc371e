"""`python -m atrace`: the same as the `atrace` console script."""

from .cli import main

raise SystemExit(main())
