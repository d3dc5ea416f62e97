import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from payments import conf
from payments.webhooks import reconcile

RECENT_DAYS = 2


def _day(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError as error:
        raise CommandError(f"Date invalide : « {value} » (format attendu : AAAA-MM-JJ).") from error


class Command(BaseCommand):
    help = (
        "Rapproche avec Stripe les paiements par carte en attente créés sur une période (--from, --to inclus ; "
        f"par défaut les {RECENT_DAYS} derniers jours, ce que fait la tâche périodique). Idempotent."
    )

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", help="premier jour, AAAA-MM-JJ")
        parser.add_argument("--to", dest="end", help="dernier jour inclus, AAAA-MM-JJ")

    def handle(self, *args, start=None, end=None, **options):

        if (start is None) != (end is None):
            raise CommandError("Indiquez --from et --to ensemble, ou aucun des deux.")
        if start is None:
            last = timezone.localdate()
            first = last - datetime.timedelta(days=RECENT_DAYS - 1)
        else:
            first, last = _day(start), _day(end)
        if last < first:
            raise CommandError("La date de fin doit suivre la date de début.")
        if not conf.card_payment_enabled():
            self.stdout.write("Paiement par carte non configuré : rien à rapprocher.")
            return
        begin = timezone.make_aware(datetime.datetime.combine(first, datetime.time.min))
        finish = timezone.make_aware(datetime.datetime.combine(last + datetime.timedelta(days=1), datetime.time.min))
        counts = reconcile(start=begin, end=finish)
        self.stdout.write(
            "Paiements vérifiés : {checked} ; payés : {paid} ; expirés : {expired} ; "
            "toujours en attente : {pending} ; erreurs : {errors}.".format(**counts)
        )
