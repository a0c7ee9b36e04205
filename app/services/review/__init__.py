"""Review: assignments, agreement, adjudication and the codebook."""
