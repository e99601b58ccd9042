"""SLA engine: agreements as code, business-time clocks, compliance. Pure: no I/O beyond parsing."""
