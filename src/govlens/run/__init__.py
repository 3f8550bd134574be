"""Pipeline composition: stages wired together, executors."""
