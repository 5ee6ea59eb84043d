"""The `paper-diary` command line: `new` (from an arXiv id), `check`, `init` and `import`, and what they share
(reading `mkdocs.yml` without MkDocs, writing files without overwriting, arXiv's API). Imports the model, the
reading and the diary; never MkDocs.
"""
