from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fanfold.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from fanfold.reports.services import reports_reopen_on_revision
        from fanfold.works.revisions import revision_done_register

        # A creator who fixes what they were asked to puts the reports back in the queue.
        revision_done_register(reports_reopen_on_revision)
