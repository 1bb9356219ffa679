"""iTEP: the Local Administrator's test ID inventory, the two provisioning calls and the
results webhook (issue 11). Nothing of iTEP's wire format is public: every path, field
and code is the interface page's choice (docs/providers/itep-wire.md)."""
