"""Each chapter's figures and live panels, in a module named after the chapter's notebook."""
