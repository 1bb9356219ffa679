"""iTEP's rules: plain functions of (scope, input), no Flask."""
