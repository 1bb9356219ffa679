"""Cirrus Assessment: assessments by external id, schedules with launch links, published
results with a daily limit, and the "Exam results ready" webhook (issue 10)."""
