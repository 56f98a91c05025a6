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
