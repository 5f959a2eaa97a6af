"""Firmware inventory: vendored sources, build manifests, compiled images and linker maps."""
