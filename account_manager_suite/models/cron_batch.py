def run_batch(model, pending, batch_size, process):
    """One batch of a scheduled action: ``process`` the first ``batch_size`` records of
    ``model`` matching the domain ``pending`` (which ``process`` must make them leave), and
    report the progress to the scheduler, which runs the job again while some remain (one
    transaction per batch, as the commission queue). Returns what ``process`` returns."""
    records = model.search(pending, order="id", limit=batch_size)
    result = process(records)
    model.env["ir.cron"]._notify_progress(done=len(records), remaining=model.search_count(pending))
    return result
