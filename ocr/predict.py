"""Entry point: ``python -m ocr.predict`` (see ocr.runners.predict)."""

from ocr.runners.predict import main

if __name__ == "__main__":
    main()
