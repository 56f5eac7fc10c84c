import sys

from silkbridge.cli import main

sys.exit(main())
