"""Paper Diary: a MkDocs plugin and command line for a diary of research papers."""

__version__ = "0.2.0"
