"""Care: the caseload, the patient chart and the patient's own home."""
