"""Glance v2: images with tags, upload, list filters, sort and pagination."""
