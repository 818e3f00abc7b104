"""Report generation helpers shared by list exports and accounting forms."""
