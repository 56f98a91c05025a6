# Congélo kiosk — français (Canada). The default language.
# Short, plain words: many residents read little French. Every key exists in every language.

language-name = Français
# How this language writes amounts: comma-after (4,25 $) or dot-before ($4.25).
meta-money-style = comma-after

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

grid-title = Touchez le produit
grid-back = Retour
grid-type-code = Taper le numéro du code-barres
grid-code-field = Numéro du code-barres
grid-code-ok = Ajouter

unknown-title = Code inconnu
unknown-text = Ce code n'est pas reconnu. Essayez encore, ou choisissez l'image.
unknown-pictures = Images
notice-ok = OK

card-welcome-title = Bienvenue !
card-welcome-text = Scannez vos produits.
card-expired-title = Carte expirée
card-revoked-title = Carte annulée
card-unknown-title = Carte inconnue
card-refused-text = Demandez une nouvelle carte à l'accueil. Vous pouvez acheter au prix normal.
card-buy-full-price = Acheter au prix normal
card-refused-cancel = Annuler

cap-title = Limite atteinte
cap-left-items = Vous pouvez encore prendre { $count ->
        [0] 0 produit
        [one] 1 produit
       *[other] { $count } produits
    } cette période.
cap-left-amount = Il vous reste { $amount } pour cette période.
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
staff-pin-title = Code PIN
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
staff-first-out = à vendre en premier
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
staff-notice-wrong-pin = Code PIN incorrect
staff-notice-enrolling = Inscription en cours…
staff-notice-enrolled = Congélateur relié au centre ✓
staff-notice-enrol-failed = Inscription refusée : { $why }
staff-notice-no-hub = Aucune adresse de centre dans la configuration.
staff-notice-sync-requested = Envoi demandé
staff-notice-hold-cleared = Ventes reprises ✓
staff-alarm-cold-chain = Trop chaud trop longtemps
staff-alarm-cold-chain-over = Température revenue
staff-alarm-probe-lost = Sonde muette
staff-alarm-probe-back = Sonde revenue
staff-alarm-door-open = Porte ouverte trop longtemps
staff-alarm-door-closed = Porte refermée

## Number pads (the code under a barcode, the staff PIN)
keypad-erase = Effacer le dernier chiffre
keypad-clear = Tout effacer

## Temperature chart (staff)
staff-chart-limit = Limite
