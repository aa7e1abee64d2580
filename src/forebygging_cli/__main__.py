"""The `forebygging` command (and `python -m forebygging_cli`).

`forebygging --version` alone is answered here, before the command-line
framework is imported: it needs nothing else, and scripts call it to check
which tool they have. Everything else is `cli.main`.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] == ["--version"] and sys.stdout is not None:
        from . import __version__

        try:
            sys.stdout.write(f"forebygging {__version__}\n")
            sys.stdout.flush()
        except OSError as exc:  # a closed pipe or a full disk: as every other command reports them
            from .output import EXIT_CLOSED_PIPE, silence_stdout

            silence_stdout()
            if isinstance(exc, BrokenPipeError):
                sys.exit(EXIT_CLOSED_PIPE)
            from .i18n import _

            sys.stderr.write(_("forebygging: cannot write output: {reason}").format(reason=exc.strerror or exc) + "\n")
            sys.exit(2)
        return
    from .cli import main as run

    run()


if __name__ == "__main__":
    main()
