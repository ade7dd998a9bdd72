"""Models of the community capability."""
