"""Models of the learn capability."""
