"""What every Workday SOAP web service shares (Learning now, Talent next): zeep's transport over ``httpx``,
Workday's SOAP faults as typed errors, paging of Get operations and writes as results."""
