"""Test double: no grammar rules to harden (summarize's hardening then leaves them be)."""
