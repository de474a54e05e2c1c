"""The PySide6 desktop counselling assistant."""
