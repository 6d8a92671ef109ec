"""Reference data shipped with the code: localities (with aliases) and the field taxonomy."""
