"""Entry point: ``python -m ocr.train`` (see ocr.runners.train)."""

from ocr.runners.train import main

if __name__ == "__main__":
    main()
