"""forebygging: plans for preventing child neglect and behavioural problems
(barnevernsloven § 15-1), kept as schema-validated YAML.

The library is plain Python; `forebygging_cli.cli` is the command line on top.
"""

__version__ = "0.1.0"
