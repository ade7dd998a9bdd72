"""The estimated-protection capability of naltrack: blockade timelines from a patient's recorded doses."""
