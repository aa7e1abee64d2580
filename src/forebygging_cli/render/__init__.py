"""Renderers: one module per output format. Each turns library objects into a
string (or a rich renderable); none of them reads files or prints."""
