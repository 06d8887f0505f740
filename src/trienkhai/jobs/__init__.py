"""Long work off the request path: a job table the pages poll, run in-process or by workers."""
