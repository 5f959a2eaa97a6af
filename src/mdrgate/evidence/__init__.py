"""Evidence: the files a run leaves for release managers and auditors, written all-or-nothing."""

from mdrgate.evidence.write import write_evidence

__all__ = ["write_evidence"]
