"""Demo: the legal pages' text (mentions légales, données personnelles, accessibilité), written
as a network like RESECO would publish them. Each page is a list of rich-text paragraphs."""

LEGAL_NOTICE_INTRO = "Qui édite ce site, qui l'héberge et à quelles conditions réutiliser ses contenus."
LEGAL_NOTICE = [
    "<h2>Éditeur</h2>"
    "<p>Association RESECO, réseau Grand Ouest commande publique et développement durable, association "
    "régie par la loi du 1er juillet 1901.</p>"
    "<p>Siège : 2 rue de la Commande publique, 44000 Nantes. Téléphone : 02 40 00 00 00. "
    'Adresse électronique : <a href="mailto:contact@reseco.fr">contact@reseco.fr</a>.</p>',
    "<h2>Directeur de la publication</h2>"
    "<p>Le président de l'association. La rédaction est assurée par l'équipe d'animation du réseau.</p>",
    "<h2>Hébergement</h2>"
    "<p>Le site et ses données sont hébergés dans l'Union européenne, en France, par un prestataire "
    "lié à RESECO par un contrat de sous-traitance au sens du RGPD. Ses coordonnées sont communiquées "
    "sur simple demande à l'adresse de contact.</p>",
    "<h2>Réutilisation des contenus</h2>"
    "<p>Les guides, modèles de cahiers des charges et retours d'expérience publics sont réutilisables "
    "sous la Licence Ouverte d'Etalab (version 2.0), à condition de citer RESECO et la date de la "
    "version utilisée. Les documents réservés aux membres ne peuvent pas être diffusés hors des "
    "collectivités membres. Les logos des partenaires restent la propriété de leurs titulaires.</p>",
    "<h2>Liens et responsabilité</h2>"
    "<p>Les contenus sont fournis à titre d'information et ne constituent pas un conseil juridique : "
    "chaque acheteur reste responsable de ses marchés. RESECO n'est pas responsable du contenu des "
    "sites vers lesquels il renvoie.</p>",
    "<h2>Données personnelles et accessibilité</h2>"
    "<p>Le traitement de vos données est décrit dans la page « Données personnelles » ; l'état "
    "d'accessibilité du site, dans la « Déclaration d'accessibilité ».</p>",
]

PERSONAL_DATA_INTRO = (
    "Quelles données RESECO traite, pourquoi, combien de temps, qui les voit, et comment exercer vos droits."
)
PERSONAL_DATA = [
    "<h2>Responsable du traitement</h2>"
    "<p>L'association RESECO, 2 rue de la Commande publique, 44000 Nantes. Pour toute question sur vos "
    'données : <a href="mailto:donnees@reseco.fr">donnees@reseco.fr</a>.</p>',
    "<h2>Ce que nous traitons et pourquoi</h2>"
    "<ul><li><b>Votre compte</b> (nom, adresse électronique, collectivité, fonction) : vous donner accès "
    "aux contenus réservés et à vos inscriptions (exécution de l'adhésion).</li>"
    "<li><b>Vos inscriptions</b> aux événements et formations, et votre présence : organiser les "
    "rencontres, délivrer les attestations et tenir les feuilles d'émargement exigées par la "
    "certification Qualiopi (obligation légale).</li>"
    "<li><b>Les candidatures des fournisseurs</b> (entreprise, SIRET, contact, questionnaire) : préparer "
    "les rencontres avec les fournisseurs (intérêt légitime).</li>"
    "<li><b>Les questions à l'assistance</b> : vous répondre et, une fois anonymisées, enrichir la foire "
    "aux questions.</li>"
    "<li><b>Les paiements et factures</b> des formations payantes (obligation légale comptable).</li></ul>",
    "<h2>Régimes alimentaires et allergies</h2>"
    "<p>Lors d'une inscription, vous pouvez indiquer un régime alimentaire ou une allergie. Ce champ "
    "est facultatif ; ce que vous y écrivez peut révéler des informations de santé ou vos convictions, "
    "que nous ne traitons qu'avec votre accord, donné en remplissant le champ.</p>"
    "<p>Il sert uniquement à prévoir les repas et l'accueil de l'événement. Seule l'équipe de RESECO "
    "qui l'organise le voit, dans la liste des inscrits ; il n'apparaît ni sur la feuille "
    "d'émargement ni dans les rapports. Il est conservé avec votre inscription et effacé avec elle "
    "(voir les durées ci-dessous) ; vous pouvez le faire retirer plus tôt en écrivant à l'adresse "
    "ci-dessus.</p>",
    "<h2>Durées de conservation</h2>"
    "<p>Les comptes et les inscriptions sont conservés trois ans après votre dernière activité, puis "
    "anonymisés. Les feuilles d'émargement et attestations des formations sont conservées six ans "
    "(certification Qualiopi) ; les factures, dix ans, comme la loi l'exige.</p>",
    "<h2>Qui voit vos données</h2>"
    "<p>L'équipe de RESECO ; les référents de votre collectivité pour les inscriptions de ses agents ; "
    "notre hébergeur et notre prestataire de paiement, comme sous-traitants. Vos données ne sont ni "
    "vendues ni transmises hors de l'Union européenne.</p>",
    "<h2>Cookies</h2>"
    "<p>Le site n'utilise qu'un cookie de session, déposé lorsque vous vous connectez ou remplissez un "
    "formulaire. Il n'y a ni mesure d'audience tierce ni publicité.</p>",
    "<h2>Vos droits</h2>"
    "<p>Vous pouvez accéder à vos données, les rectifier, les effacer, vous opposer à leur traitement ou "
    "en demander la portabilité : depuis « Mon compte » (télécharger mes données, supprimer mon compte) "
    "ou en écrivant à l'adresse ci-dessus. Si vous estimez, après nous avoir contactés, que vos droits "
    'ne sont pas respectés, vous pouvez adresser une réclamation à la CNIL (<a href="https://www.cnil.fr">'
    "cnil.fr</a>).</p>",
]

ACCESSIBILITY_INTRO = (
    "Le site est partiellement conforme au RGAA 4.1 : ce qui ne l'est pas encore et comment nous joindre."
)
ACCESSIBILITY = [
    "<p>RESECO s'engage à rendre son site accessible conformément à l'article 47 de la loi n° 2005-102 "
    "du 11 février 2005. Cette déclaration s'applique au site du réseau, pages publiques et espace "
    "membres.</p>",
    "<h2>État de conformité</h2>"
    "<p>Le site est <b>partiellement conforme</b> au référentiel général d'amélioration de "
    "l'accessibilité (RGAA), version 4.1, en raison des non-conformités énumérées ci-dessous.</p>",
    "<h2>Résultats des tests</h2>"
    "<p>Une évaluation interne a porté sur l'accueil, l'agenda (liste et vue mensuelle), une page "
    "d'événement, le formulaire d'inscription, la bibliothèque, la recherche, l'assistance, la "
    "connexion et cette déclaration. Chaque page est vérifiée automatiquement à chaque évolution du "
    "site (axe-core) et a été parcourue au clavier et avec un lecteur d'écran. Un audit complet par un "
    "organisme indépendant est prévu ; son taux de conformité sera publié ici.</p>",
    "<h2>Contenus non accessibles</h2>"
    "<ul><li>Certains documents PDF anciens, produits par des partenaires, ne sont pas balisés : "
    "demandez-en une version accessible.</li>"
    "<li>Les vidéos des webinaires archivés n'ont pas toutes de sous-titres.</li>"
    "<li>Les cartes intégrées dans quelques retours d'expérience n'ont pas d'alternative textuelle "
    "complète ; l'adresse est donnée dans le texte.</li></ul>",
    "<h2>Établissement de cette déclaration</h2>"
    "<p>Déclaration établie le 1er décembre 2026. Technologies utilisées : HTML5, CSS, un peu de "
    "JavaScript. Outils : axe-core, Firefox et Chromium, NVDA et VoiceOver.</p>",
    "<h2>Retour d'information et contact</h2>"
    "<p>Si vous n'arrivez pas à accéder à un contenu ou à un service, écrivez-nous : "
    '<a href="mailto:accessibilite@reseco.fr">accessibilite@reseco.fr</a>, téléphone 02 40 00 00 00, ou '
    "RESECO, 2 rue de la Commande publique, 44000 Nantes. Nous vous répondrons et vous enverrons le "
    "contenu sous une forme accessible.</p>",
    "<h2>Voies de recours</h2>"
    "<p>Si vous nous avez signalé un défaut d'accessibilité qui vous empêche d'accéder à un contenu ou "
    "à un service et que vous n'avez pas obtenu de réponse satisfaisante, vous pouvez écrire au "
    'Défenseur des droits (<a href="https://formulaire.defenseurdesdroits.fr/">formulaire en ligne</a>), '
    "contacter son délégué dans votre région, ou lui écrire gratuitement, sans timbre : Défenseur des "
    "droits, Libre réponse 71120, 75342 Paris CEDEX 07.</p>",
]
