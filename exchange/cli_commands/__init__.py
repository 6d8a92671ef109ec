"""Commands of the `exchange` CLI, by area; each command owns its transaction."""
