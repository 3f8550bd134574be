"""Pure: ranked fix lists, recommendations and action-plan checks."""
