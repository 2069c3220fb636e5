"""One module per topic of CLINICAL.md. Each rule returns the codes it fires;
the code is the rule id, and content/pathway.toml gives its source, triage and texts."""
