"""Training mode: scripted scenarios on the real checklist, scored with feedback."""
