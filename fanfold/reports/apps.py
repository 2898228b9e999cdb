from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fanfold.reports"
    verbose_name = "Reports"

    def ready(self) -> None:
        from fanfold.reports.selectors import member_reports_section
        from fanfold.reports.services import reports_reopen_on_revision
        from fanfold.sanctions.record import record_section_register
        from fanfold.works.revisions import revision_done_register

        # A creator who fixes what they were asked to puts the reports back in the queue.
        revision_done_register(reports_reopen_on_revision)
        # The staff record of a member shows the reports they made and received.
        record_section_register(member_reports_section)
