"""The safety capability of naltrack."""
