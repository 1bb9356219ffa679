"""What every vendor client shares; knows no vendor (as ``exam_sandbox.core`` in the sandbox).

``http`` (session, timeouts, retries), ``errors`` (the kinds and the vendor families built
from them), ``envelopes`` (a 2xx carrying errors), ``paging``, ``odata`` (the filter
builder), ``models`` (tolerant dataclass models, pages), ``wire`` (leaf parsers) and
``resources`` (the list and get plumbing a vendor's resource methods sit on).
"""
