"""Pure renderers: HTML, PDF, JSON, CSV, DQV."""
