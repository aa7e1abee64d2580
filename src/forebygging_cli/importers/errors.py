"""The one error an importer raises: the document is refused, with one line
that says why (the command prefixes the file's name and exits 2)."""


class ImportRefused(Exception):
    """A document that cannot or must not be read; `message` says why, in the run's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message
