"""Models of the measures capability."""
