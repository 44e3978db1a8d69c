"""Entry point: ``python -m ocr.test`` (see ocr.runners.test)."""

from ocr.runners.test import main

if __name__ == "__main__":
    main()
