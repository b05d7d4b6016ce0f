"""The conformance suite itself: pytest modules parametrized from the catalogue (run by `conformance run`)."""
