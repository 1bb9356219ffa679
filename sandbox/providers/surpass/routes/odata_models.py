"""Surpass's OData specifics shared by its resources."""

# Surpass filters write dates as MM/DD/YYYY (research notes A4, RPKG); ISO is accepted too.
SURPASS_DATES = ("%m/%d/%Y", "%Y-%m-%d")
