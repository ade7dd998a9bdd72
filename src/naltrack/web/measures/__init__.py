"""The measures capability of naltrack."""
