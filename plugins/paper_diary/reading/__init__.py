"""Reading notes as their authors wrote them: front matter, dates, CommonMark blocks, Obsidian syntax, math,
bare addresses, heading anchors and damaged encoding. Each module turns one note's text into data or into
Markdown that Python-Markdown reads as GitHub would. Imports only `paper_diary.model`; never MkDocs.
"""
