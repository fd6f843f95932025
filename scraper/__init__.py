"""newsarchive scraper: everything with I/O around the pure ``cleaners`` library.

Modules: ``inputs`` (finding and reading saved pages, legacy text and WARC captures), ``archive``
(file layout, safe names, atomic writes, the SQLite index), ``batch`` (the ``clean`` command's work,
in parallel), ``cli`` (the thin typer app, console script ``newsarchive``).
"""
