"""Background work on a task queue (huey): mail, digests, refits; consumed by `exchange worker`."""
