"""Keystone v3: password authentication, tokens with a service catalog."""
