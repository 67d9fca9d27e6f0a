"""Sub-commands of ``titlecrawl``: each module defines ``register(subparsers)``.

``register`` adds one sub-parser and sets ``func`` (``argparse.Namespace -> int`` exit status)
as its default. The CLI discovers every module in this package, so adding a command is adding a file.
"""
