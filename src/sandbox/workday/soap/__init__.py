"""What the tenant's SOAP web services share: envelopes on the wire, Workday's faults, who may call, reference
objects and the paging of Get operations."""
