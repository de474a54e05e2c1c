"""The small service layer shared by the CLI and the desktop app."""
