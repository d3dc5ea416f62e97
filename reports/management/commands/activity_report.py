"""`manage.py activity_report --from 2025-01-01 --to 2025-12-31 --format json|csv|pdf [--output FILE]`:
the activity report's figures, computed by the same function as the admin page."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from base.periods import PeriodError, parse_period
from reports.exports import to_csv
from reports.figures import as_dict, compute
from reports.pdf import annual_report_pdf


class Command(BaseCommand):
    help = "Calcule le rapport d'activité d'une période (JSON, CSV ou PDF)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="Premier jour (AAAA-MM-JJ).")
        parser.add_argument("--to", dest="end", required=True, help="Dernier jour inclus (AAAA-MM-JJ).")
        parser.add_argument("--format", choices=["json", "csv", "pdf"], default="json")
        parser.add_argument("--output", help="Fichier à écrire (sinon la sortie standard ; obligatoire en PDF).")
        parser.add_argument("--no-compare", action="store_true", help="Sans la période précédente.")

    def handle(self, *args, start, end, format, output, no_compare, **options):
        try:
            period = parse_period(start, end)
        except PeriodError as error:
            raise CommandError(error.message) from error
        if format == "pdf" and not output:
            raise CommandError("Le format PDF s'écrit dans un fichier : ajoutez --output rapport.pdf.")
        report = compute(period, compare=not no_compare)
        if format == "json":
            content = json.dumps(as_dict(report), ensure_ascii=False, indent=2)
        elif format == "csv":
            content = to_csv(report)
        else:
            content = annual_report_pdf(report)
        if output:
            mode = "wb" if isinstance(content, bytes) else "w"
            with open(output, mode, **({} if mode == "wb" else {"encoding": "utf-8"})) as handle:
                handle.write(content)
            self.stderr.write(f"Rapport écrit dans {output}.")
        else:
            (self.stdout if self.stdout else sys.stdout).write(content)
