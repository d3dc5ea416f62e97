"""Demo: the library — guides with criteria, tender templates, the three best-practice examples
of the issue, members-only minutes and documents, a report and a tool."""

import datetime

from django.core.files.base import ContentFile

from wagtail.documents import get_document_model
from wagtail.models import Collection

from sectors.models import Sector
from workinggroups.models import WorkingGroupPage

from .models import (
    ExamplePage,
    GuidePage,
    MinutesPage,
    ReportPage,
    ResourceDocument,
    ResourceIndexPage,
    TenderTemplatePage,
    ToolPage,
)
from .services import members_documents_collection


def minimal_pdf(title):
    """A small valid one-page PDF, so downloads open in a reader."""
    text = title.encode("latin-1", "replace")[:80].replace(b"(", b"[").replace(b")", b"]")
    stream = b"BT /F1 14 Tf 72 760 Td (" + text + b") Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += str(number).encode() + b" 0 obj\n" + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 " + str(len(objects) + 1).encode() + b"\n0000000000 65535 f \n"
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += b"trailer\n<< /Size " + str(len(objects) + 1).encode() + b" /Root 1 0 R >>\nstartxref\n"
    out += str(xref).encode() + b"\n%%EOF\n"
    return out


def document(title, filename, collection):
    Document = get_document_model()
    doc = Document.objects.filter(title=title).first()
    if doc is None:
        doc = Document(title=title, collection=collection)
        doc.file.save(filename, ContentFile(minimal_pdf(title)), save=False)
        doc.save()
    elif doc.collection_id != collection.pk:
        doc.collection = collection
        doc.save()
    return doc


def criterion(text, placement, verification, *, weighting=None, legal_basis="", details=""):
    return {
        "text": f"<p>{text}</p>",
        "placement": placement,
        "weighting": weighting,
        "legal_basis": legal_basis,
        "verification": verification,
        "verification_details": details,
    }


def section(title, text, *criteria):
    return {"type": "section", "value": {"title": title, "text": f"<p>{text}</p>", "criteria": list(criteria)}}


def load(demo):
    index = ResourceIndexPage.objects.get()
    sectors = {s.slug: s for s in Sector.objects.all()}
    groups = {g.slug: g for g in WorkingGroupPage.objects.all()}
    public = Collection.get_first_root_node()
    members_only = members_documents_collection()
    demo.step("collection « Documents réservés aux membres » (groupe Membres)")

    def attach(page, *docs):
        page.documents = [ResourceDocument(document=d, sort_order=i) for i, d in enumerate(docs)]
        page.save_revision().publish()

    demo.child_page(
        index,
        GuidePage,
        "guide-restauration-collective-durable",
        title="Guide : une restauration collective durable",
        summary="Produits bio, locaux et de qualité en restauration scolaire : les critères qui respectent la loi EGalim et le code de la commande publique.",
        sector=sectors["alimentation-restauration"],
        working_group=groups["alimentation-restauration"],
        year=2018,
        body=[
            section(
                "Définir le besoin",
                "Le restaurant collectif scolaire sert 50 % de produits durables dont 20 % de produits biologiques (loi EGalim). Allotir par familles de produits ouvre le marché aux producteurs locaux.",
                criterion(
                    "Les fruits et légumes sont issus de l'agriculture biologique pour au moins 30 % des volumes.",
                    "technical_specification",
                    "label",
                    legal_basis="Code de la commande publique, art. R2111-12 (labels)",
                    details="Label AB ou équivalent",
                ),
            ),
            section(
                "Attribuer le marché",
                "La performance en matière de protection de l'environnement peut peser dans la note.",
                criterion(
                    "Performance environnementale de la prestation : emballages, transport, gaspillage alimentaire.",
                    "award",
                    "self_declaration",
                    weighting=20,
                    legal_basis="Code de la commande publique, art. R2152-7",
                    details="Mémoire technique du candidat",
                ),
            ),
        ],
    )
    demo.child_page(
        index,
        GuidePage,
        "guide-vetements-de-travail",
        title="Guide : acheter des vêtements de travail responsables",
        summary="Coton biologique, commerce équitable et conditions de travail dans la chaîne d'approvisionnement.",
        sector=sectors["textiles"],
        working_group=groups["textiles"],
        year=2013,
        body=[
            section(
                "Conditions de travail",
                "Exiger le respect des conventions fondamentales de l'OIT tout au long de la chaîne de fabrication.",
                criterion(
                    "Le titulaire garantit le respect des huit conventions fondamentales de l'OIT par ses sous-traitants.",
                    "performance_clause",
                    "certificate",
                    legal_basis="Code de la commande publique, art. L2112-2",
                    details="Audit social d'un organisme indépendant",
                ),
            ),
        ],
    )
    demo.child_page(
        index,
        GuidePage,
        "guide-materiaux-biosources",
        title="Guide : matériaux biosourcés et réemploi dans le bâtiment",
        summary="Intégrer le réemploi et les matériaux biosourcés dans les marchés de travaux.",
        sector=sectors["construction-batiment"],
        working_group=groups["construction"],
        year=2024,
        body=[
            section(
                "Sélectionner les entreprises",
                "Demander des références de chantiers intégrant le réemploi.",
                criterion(
                    "Le candidat présente au moins deux références de chantiers avec réemploi de matériaux.",
                    "selection",
                    "self_declaration",
                    legal_basis="Code de la commande publique, art. R2142-13",
                ),
            ),
        ],
    )
    demo.step("3 guides de bonnes pratiques avec leurs critères")

    clauses_doc = document("Clauses types nettoyage (DOCX à adapter)", "clauses-nettoyage.pdf", public)
    members_ccap = document("CCAP commenté nettoyage — version de travail", "ccap-nettoyage-travail.pdf", members_only)
    template_cleaning = demo.child_page(
        index,
        TenderTemplatePage,
        "modele-cctp-nettoyage",
        title="Modèle de CCTP : nettoyage des locaux à faible impact",
        summary="Cahier des clauses techniques et clauses types pour un nettoyage écologique avec clause d'insertion.",
        sector=sectors["nettoyage"],
        working_group=groups["nettoyage"],
        year=2015,
        specifications="<p>Les produits utilisés portent l'Écolabel européen ou un label équivalent. Le titulaire privilégie le nettoyage en journée.</p>",
        body=[
            {
                "type": "clause",
                "value": {
                    "title": "Clause d'insertion sociale",
                    "text": "<p>Le titulaire réserve au moins 10 % des heures travaillées à des personnes éloignées de l'emploi.</p>",
                    "criterion": [
                        criterion(
                            "Nombre d'heures d'insertion réalisées, justifié chaque trimestre.",
                            "performance_clause",
                            "certificate",
                            legal_basis="Code de la commande publique, art. L2112-2",
                            details="Attestation du facilitateur de clauses",
                        )
                    ],
                },
            }
        ],
    )
    attach(template_cleaning, clauses_doc, members_ccap)
    template_paper = demo.child_page(
        index,
        TenderTemplatePage,
        "modele-cctp-papier",
        title="Modèle de cahier des charges : papier recyclé",
        summary="Spécifications pour du papier de reprographie recyclé et labellisé.",
        sector=sectors["impression"],
        working_group=groups["impression"],
        year=2012,
        specifications="<p>Papier 100 % fibres recyclées, blanchi sans chlore, portant l'Ange bleu ou l'Écolabel européen.</p>",
    )
    attach(template_paper, document("Modèle de CCTP papier recyclé", "cctp-papier.pdf", public))
    demo.step("2 modèles de cahiers des charges (un document réservé aux membres)")

    demo.child_page(
        index,
        ExamplePage,
        "accord-cadre-papier-reprographie",
        title="Accord-cadre de papier de reprographie : 30 % de la note sur l'environnement",
        summary="Un groupement de commandes a consacré 30 % de la note d'attribution à des critères environnementaux.",
        buyer="Conseil départemental de Loire-Atlantique",
        result="30 % de la note d'attribution sur des critères environnementaux ; 100 % de papier recyclé livré.",
        sector=sectors["impression"],
        working_group=groups["impression"],
        year=2012,
        body=[
            section(
                "Critère retenu",
                "L'accord-cadre a été attribué sur le prix (70 %) et la performance environnementale (30 %).",
                criterion(
                    "Performance environnementale : taux de fibres recyclées, procédé de blanchiment, transport.",
                    "award",
                    "label",
                    weighting=30,
                    legal_basis="Code de la commande publique, art. R2152-7",
                    details="Écolabel européen ou Ange bleu, ou équivalent",
                ),
            )
        ],
    )
    demo.child_page(
        index,
        ExamplePage,
        "produits-bio-restauration-scolaire",
        title="Des produits bio dans la restauration scolaire",
        summary="Une commune a introduit 35 % de produits biologiques dans ses restaurants scolaires sans hausse du coût du repas.",
        buyer="Ville de Nantes",
        result="35 % de produits biologiques en valeur, coût matière du repas stable.",
        sector=sectors["alimentation-restauration"],
        working_group=groups["alimentation-restauration"],
        year=2017,
    )
    demo.child_page(
        index,
        ExamplePage,
        "nettoyage-faible-impact-volet-social",
        title="Nettoyage à faible impact environnemental avec volet social",
        summary="Un marché de nettoyage avec produits écolabellisés, microfibres et clause d'insertion.",
        buyer="Rennes Métropole",
        result="-40 % de produits chimiques consommés ; 6 000 heures d'insertion par an.",
        sector=sectors["nettoyage"],
        working_group=groups["nettoyage"],
        year=2015,
    )
    demo.step("3 retours d'expérience (papier, restauration scolaire, nettoyage)")

    for slug, title, group, day, year in [
        (
            "compte-rendu-construction-2024-03",
            "Compte rendu — groupe Construction, mars 2024",
            "construction",
            "2024-03-14",
            2024,
        ),
        (
            "compte-rendu-construction-2025-01",
            "Compte rendu — groupe Construction, janvier 2025",
            "construction",
            "2025-01-23",
            2025,
        ),
        (
            "compte-rendu-vehicules-2022-06",
            "Compte rendu — groupe Véhicules, juin 2022",
            "vehicules-mobilite",
            "2022-06-09",
            2022,
        ),
    ]:
        minutes = demo.child_page(
            index,
            MinutesPage,
            slug,
            title=title,
            summary="Tour de table des projets, retours sur les consultations en cours, prochaines étapes.",
            working_group=groups[group],
            sector=groups[group].sector,
            meeting_date=datetime.date.fromisoformat(day),
            year=year,
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>Présents : les référents achats des collectivités participantes. Points abordés : retours d'expérience et clauses de réemploi.</p>",
                }
            ],
        )
        attach(minutes, document(f"Support de séance — {title}", f"{slug}.pdf", members_only))
    demo.step("3 comptes rendus réservés aux membres")

    demo.child_page(
        index,
        ReportPage,
        "rapport-activite-2024",
        title="Rapport d'activité 2024 du réseau",
        summary="Groupes de travail, formations, assistance : l'année 2024 du réseau en chiffres.",
        year=2024,
        sector=sectors["politique-achat"],
    )
    tool = demo.child_page(
        index,
        ToolPage,
        "calculateur-cout-global",
        title="Outil : calculateur du coût global",
        summary="Un tableur pour comparer les offres sur leur coût du cycle de vie (achat, énergie, maintenance, fin de vie).",
        year=2019,
        sector=sectors["indicateurs-evaluation"],
        working_group=groups["indicateurs"],
    )
    attach(tool, document("Calculateur du coût global (mode d'emploi)", "calculateur-cout-global.pdf", public))
    demo.step("un rapport et un outil")
