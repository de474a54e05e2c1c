"""Counselling records: crash-safe sessions, history and audit in SQLite."""
