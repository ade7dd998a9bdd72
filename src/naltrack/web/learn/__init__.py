"""The learn capability of naltrack."""
