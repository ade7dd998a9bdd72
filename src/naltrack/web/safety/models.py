"""Models of the safety capability."""
