"""Counsel: pharmacist counselling assistant."""
