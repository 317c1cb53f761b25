// Placeholder until this module lands; see docs/architecture.md.
