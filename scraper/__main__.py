"""``python -m scraper`` behaves exactly like the ``newsarchive`` console script."""

from .cli import main

if __name__ == "__main__":
    main()
