import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : « {value} » (format attendu : AAAA-MM-JJ).") from error


class Command(BaseCommand):
    help = "Rapproche les paiements par carte en attente avec Stripe pour une période (--from, --to inclus)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", required=True, help="premier jour, AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", required=True, help="dernier jour inclus, AAAA-MM-JJ")

    def handle(self, *args, start, end, **options):
        from payments.services import reconcile

        first, last = _day(start), _day(end)
        if last < first:
            raise CommandError("La date de fin doit suivre la date de début.")
        begin = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        finish = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
        counts = reconcile(start=begin, end=finish)
        self.stdout.write(
            "Paiements vérifiés : {checked} ; payés : {paid} ; expirés : {expired} ; toujours en attente : {pending} ; erreurs : {errors}.".format(
                **counts
            )
        )
