"""The diary and what it derives: `scan` reads every note into the model (`paper_diary.model.Diary`), then the
highlights, tags, the daily log, the integrity checks, the exports and the map are made from it. Imports
`paper_diary.model` and `paper_diary.reading`; never MkDocs.
"""
