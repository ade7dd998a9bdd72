"""The community capability of naltrack."""
