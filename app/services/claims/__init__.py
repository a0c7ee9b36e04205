"""Claims: tagging and assessing, the final label, what a reader may see of a claim, its
history, propositions, and claims following their article's revisions."""
