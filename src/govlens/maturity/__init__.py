"""Digital-government maturity: OECD framework self-assessment and benchmarks."""
