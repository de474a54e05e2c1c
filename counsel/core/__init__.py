"""The pure counselling core: content, case, rules, schedules and safety checks (no Qt, PDF or DB)."""
