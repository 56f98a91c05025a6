# Congélo kiosk — français (Canada). The default language.
# Short, plain words: many residents read little French. Every key exists in every language.

language-name = Français
# How this language writes amounts: comma-after (4,25 $) or dot-before ($4.25).
meta-money-style = comma-after
# How this language writes a time of day (a chrono format): « 16 h 43 ».
meta-time-format = %-H h %M

idle-scan-card = Scannez votre carte
idle-scan-card-hint = Si vous en avez une
idle-scan-pack = Scannez un produit
idle-scan-pack-hint = Le code-barres sur le sachet
idle-pick-picture = Je ne peux pas scanner

cart-less = Un de moins
cart-more = Un de plus
cart-quantity = Nombre
cart-remove = Enlever
cart-empty = Scannez un produit
cart-welcome = Bienvenue
cart-total = Total
cart-pay = Payer
cart-pictures = Images
cart-cancel-all = Tout annuler
cart-cash-total = Comptant :
undo-line = Vous avez enlevé { $name }.
undo-cart = Vous avez tout annulé.
undo-button = Remettre

grid-title = Touchez le produit
grid-back = Retour
grid-type-code = Taper le numéro du code-barres
grid-code-field = Numéro du code-barres
grid-code-ok = Ajouter

unknown-title = Code inconnu
unknown-text = Ce code n'est pas reconnu. Essayez encore, ou choisissez l'image.
unknown-pictures = Images
notice-ok = OK
recalled-title = Ne pas manger
recalled-text = Ce paquet fait l’objet d’un rappel. Déposez-le dans le bac pour le personnel. Ne l’apportez pas.
recalled-ok = OK, je l’ai déposé dans le bac

card-welcome-title = Bienvenue !
card-welcome-text = Scannez vos produits.
card-expired-title = Carte expirée
card-revoked-title = Carte annulée
card-unknown-title = Carte inconnue
card-refused-text = Demandez une nouvelle carte à l'accueil. Vous pouvez acheter au prix normal.
card-buy-full-price = Acheter au prix normal
card-refused-cancel = Annuler

cap-title = Limite atteinte
# { $period } is cap-period-week or cap-period-month; { $count } packs.
cap-period-week = cette semaine
cap-period-month = ce mois-ci
cap-left-items = Vous pouvez encore ajouter { $count ->
        [one] 1 produit
       *[other] { $count } produits
    } { $period }.
cap-full = Vous ne pouvez plus rien ajouter { $period } : votre panier est au maximum.
cap-over-items = Votre panier dépasse la limite permise { $period } : enlevez { $count ->
        [one] 1 produit
       *[other] { $count } produits
    }.
cap-left-amount = Vous pouvez encore dépenser { $amount } { $period }, en plus de votre panier.
cap-over-amount = Votre panier dépasse de { $amount } la limite permise { $period } : enlevez des produits.
cap-back-to-cart = Retour au panier

pay-total = À payer
pay-choose = Comment payez-vous ?
pay-method-cash = Argent comptant
pay-method-prepaid = Mon solde prépayé
pay-method-pay-later = Payer plus tard
pay-method-card = Carte de débit ou de crédit
pay-back = Retour

cash-amount = Mettez dans la boîte
cash-instructions = Déposez l'argent dans la boîte, puis touchez « J'ai payé ».
cash-confirm = J'ai payé

prepaid-after = Solde après l'achat
prepaid-confirm = Payer avec mon solde

pay-later-owed = Vous devrez en tout
pay-later-confirm = Payer plus tard

terminal-waiting-title = Suivez le terminal
terminal-waiting-text = Payez sur le terminal :
terminal-declined-title = Paiement refusé
terminal-timeout-title = Pas de réponse du terminal
terminal-failed-text = Réessayez, ou choisissez une autre façon de payer.
terminal-cancel = Annuler
terminal-retry = Réessayer
terminal-other-method = Autre façon de payer

done-title = Merci !
done-text = Prenez vos produits et fermez bien le congélateur.

still-there-title = Êtes-vous encore là ?
still-there-yes = Oui, je suis là

out-of-order-title = Hors service
out-of-order-cannot-record = Ce congélateur ne peut pas enregistrer d'achat pour le moment. Le personnel est averti.
out-of-order-not-configured = Ce congélateur n'est pas encore configuré.

sync-pending = { $count ->
        [0] Tout est envoyé
        [one] 1 en attente
       *[other] { $count } en attente
    }
sync-last = dernier envoi { $time }

## Staff mode (staff and volunteers; short words, big buttons)

out-of-order-cold-chain = Le congélateur a eu trop chaud. Un membre du personnel doit le vérifier.
staff-pin-title = NIP
staff-pin-attempts = { $count ->
        [one] Encore 1 essai
       *[other] Encore { $count } essais
    }
staff-pin-locked = Badge bloqué jusqu'à { $time }
staff-menu-title = Personnel
staff-menu = Menu
staff-leave = Quitter
staff-restock = Remplir
staff-count = Compter
staff-loss = Retirer
staff-levels = Stock
staff-lots = Lots et dates
staff-alarms = Alarmes
staff-temperature = Température
staff-sync = Envoi au centre
staff-enrol = Relier au centre
staff-pick-product = Scannez un sachet ou touchez son image.
staff-lot = Lot
staff-best-before = Meilleur avant
staff-best-before-earlier = Un mois plus tôt
staff-best-before-later = Un mois plus tard
staff-book-level = Selon le registre :
staff-reason-thawed = Dégelé
staff-reason-damaged = Abîmé
staff-reason-expired = Périmé
staff-reason-other = Autre
staff-fewer = Un de moins
staff-more = Un de plus
staff-quantity = Nombre
staff-save = Enregistrer
staff-choose-reason = Choisissez d'abord la raison
staff-first-out = à vendre en premier
staff-recalled = RAPPELÉ — à retirer
staff-clear-hold = Congélateur vérifié : reprendre les ventes
staff-no-alarms = Aucune alarme.
staff-24h-ago = il y a 24 h
staff-now = maintenant
staff-no-reading = Pas de mesure
staff-sync-now = Envoyer maintenant
staff-sync-off = Ce congélateur n'est pas encore relié au centre.
staff-sync-error = Dernière erreur : { $why }
staff-clock-suspect = L'horloge du congélateur semble fausse.
staff-no-hub = Aucune adresse de centre configurée
staff-enrol-text = Scannez le code QR d'inscription affiché par le centre.
staff-notice-saved = Enregistré ✓
staff-notice-wrong-pin = NIP incorrect
staff-notice-enrolling = Inscription en cours…
staff-notice-enrolled = Congélateur relié au centre ✓
staff-notice-enrol-failed = Inscription refusée : { $why }
staff-notice-no-hub = Aucune adresse de centre dans la configuration.
staff-notice-sync-requested = Envoi demandé
staff-notice-badge-locked = Badge bloqué : attendez l'heure indiquée.
staff-notice-hold-cleared = Ventes reprises ✓
staff-notice-recalled = Lot rappelé : ne pas le mettre au congélateur
staff-alarm-cold-chain = Trop chaud trop longtemps
staff-alarm-cold-chain-over = Température revenue
staff-alarm-probe-lost = Sonde muette
staff-alarm-probe-back = Sonde revenue
staff-alarm-door-open = Porte ouverte trop longtemps
staff-alarm-door-closed = Porte refermée
staff-alarm-recalled = Paquet rappelé scanné
staff-alarm-recalled-seen = Paquets rappelés vus par le personnel

## Voice: what the speaker says on each resident screen (assets/voice/fr-CA/<id>.ogg)

listen = Écouter
voice-idle = Bonjour ! Scannez votre carte si vous en avez une, puis scannez vos produits. Si un produit ne se scanne pas, touchez « Je ne peux pas scanner ».
voice-cart = Scannez vos autres produits. Quand vous avez fini, touchez le bouton vert « Payer ».
voice-grid = Touchez l'image de votre produit.
voice-unknown-code = Ce code n'est pas reconnu. Essayez encore, ou choisissez l'image du produit.
voice-recalled-lot = Ne mangez pas ce produit : il fait l’objet d’un rappel. Déposez-le dans le bac pour le personnel. Ne l’apportez pas.
voice-card-accepted = Bienvenue ! Scannez vos produits.
voice-card-refused = Cette carte ne peut pas être utilisée. Demandez une nouvelle carte à l'accueil. Vous pouvez acheter au prix normal.
voice-cap-reached = Vous avez atteint votre limite. Ce produit n'a pas été ajouté : remettez-le dans le congélateur.
voice-payment-choice = Comment payez-vous ? Touchez un des boutons.
voice-cash = Mettez dans la boîte l'argent montré à l'écran, puis touchez « J'ai payé ».
voice-prepaid = Pour payer avec votre solde, touchez « Payer avec mon solde ».
voice-pay-later = Pour payer plus tard, touchez « Payer plus tard ».
voice-terminal-waiting = Suivez les instructions du terminal de paiement.
voice-terminal-failed = Le paiement n'a pas fonctionné. Essayez encore, ou choisissez une autre façon de payer.
voice-done = Merci ! Prenez vos produits et fermez bien le congélateur.
voice-still-there = Êtes-vous encore là ? Touchez « Oui, je suis là » pour garder votre panier.
voice-out-of-order = Ce congélateur est hors service pour le moment. Merci de revenir plus tard.

## Number pads (the code under a barcode, the staff PIN)
keypad-erase = Effacer le dernier chiffre
keypad-clear = Tout effacer

## Temperature chart (staff)
staff-chart-limit = Limite
