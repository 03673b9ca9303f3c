"""``python -m tieguard.schema`` prints docs/stage-outputs.md."""

import sys

from . import stage_outputs_markdown

sys.stdout.write(stage_outputs_markdown())
