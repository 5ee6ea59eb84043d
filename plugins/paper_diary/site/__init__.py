"""The MkDocs site: the plugin that maps MkDocs events to the core, the generated pages and their templates,
math and diagrams in pages, serve's one-page rebuild, the build cache, in-place writing, search and offline
reading. The only part of the package that imports MkDocs.
"""
