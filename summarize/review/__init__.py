"""`summarize review`: a local web application to check and correct a run's briefs."""
