"""Accounts pages, one module each: logging in and out (`login`), signing up and
confirming the address (`signup`), `passwords`, `preferences`, and the pages about
members and their pseuds (`people`).

Views stay thin: forms validate, services write, selectors read.
"""
