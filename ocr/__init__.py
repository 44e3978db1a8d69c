"""OCR engine: DBNet text detection on receipts, as a library (no UI, no services)."""
