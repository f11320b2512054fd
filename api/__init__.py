"""The HTTP API and the web page: a thin client of the job service (jobs/)."""
