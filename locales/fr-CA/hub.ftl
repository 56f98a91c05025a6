# Congélo hub — pages web, français (Canada). Langue par défaut du hub.
# Chaque identifiant commence par « hub- » ; en-CA/hub.ftl a exactement les mêmes.

hub-app-name = Congélo — le hub du collectif
hub-nav-label = Navigation principale
hub-nav-home = Accueil
hub-nav-products = Produits
hub-nav-tiers = Tarifs
hub-nav-households = Ménages et cartes
hub-nav-sites = Sites et bornes
hub-nav-reports = Rapports
hub-nav-fleet = État des bornes
hub-nav-users = Utilisateurs
hub-nav-audit = Journal
hub-logout = Se déconnecter
hub-save = Enregistrer
hub-cancel = Annuler
hub-edit = Modifier
hub-yes = Oui
hub-no = Non

hub-role-admin = Administration du collectif
hub-role-viewer = Lecture des rapports
hub-role-site-staff = Personnel du site { $site }
hub-role-site-staff-any = Personnel d’un site

hub-error-login-title = Connexion requise
hub-error-login-text = Connectez-vous pour voir cette page.
hub-error-forbidden-title = Accès refusé
hub-error-forbidden-text = Votre rôle ne permet pas d’utiliser cette page.
hub-error-csrf-title = Formulaire refusé
hub-error-csrf-text = Ce formulaire a expiré ou ne vient pas de cette page. Rien n’a été enregistré. Rechargez la page et recommencez.
hub-error-not-found-title = Page introuvable
hub-error-not-found-text = Cette page n’existe pas ou plus.
hub-error-bad-form-title = Formulaire illisible
hub-error-bad-form-text = Le formulaire envoyé n’a pas pu être lu. Rien n’a été enregistré.
hub-error-internal-title = Un problème est survenu
hub-error-internal-text = Le hub n’a pas pu traiter cette demande ; l’erreur est consignée. Rien n’a été enregistré à moitié.
hub-error-home = Retour à l’accueil

hub-login-title = Connexion
hub-login-username = Nom d’utilisateur
hub-login-password = Mot de passe
hub-login-submit = Se connecter
hub-login-wrong = Nom d’utilisateur ou mot de passe incorrect.
hub-login-locked = Trop d’essais manqués : ce compte est bloqué pour quelques minutes.

hub-dashboard-title = Accueil
hub-dashboard-welcome = Bonjour { $login }. Que voulez-vous faire ?

hub-account-title = Mon compte
hub-account-password = Changer de mot de passe
hub-account-current = Mot de passe actuel
hub-account-new = Nouveau mot de passe
hub-account-confirm = Nouveau mot de passe, encore une fois
hub-account-rule = Au moins 10 caractères. Une phrase facile à retenir convient très bien.
hub-account-change = Changer le mot de passe
hub-account-changed = Mot de passe changé. Vos autres sessions sont fermées.
hub-account-error-length = Le mot de passe doit avoir de 10 à 200 caractères.
hub-account-error-confirm = Les deux nouveaux mots de passe ne sont pas identiques.
hub-account-error-current = Le mot de passe actuel est incorrect.

hub-users-title = Utilisateurs
hub-users-saved = Utilisateur enregistré.
hub-users-login = Nom d’utilisateur
hub-users-role = Rôle
hub-users-site = Site
hub-users-site-hint = Seulement pour le personnel d’un site.
hub-users-state = État
hub-users-change = Modifier
hub-users-disabled = Désactivé
hub-users-locked = Bloqué
hub-users-new = Nouvel utilisateur
hub-users-create = Créer l’utilisateur
hub-users-error-login = Un nom d’utilisateur a de 1 à 64 caractères, sans espace.
hub-users-error-taken = Ce nom d’utilisateur est déjà pris.
hub-users-error-role = Choisissez un rôle.
hub-users-error-site = Choisissez le site de ce membre du personnel.
hub-users-error-self = Vous ne pouvez pas retirer votre propre rôle d’administration ni désactiver votre compte.

hub-audit-title = Journal des modifications
hub-audit-user = Utilisateur
hub-audit-everyone = Tout le monde
hub-audit-filter = Filtrer
hub-audit-when = Quand
hub-audit-who = Qui
hub-audit-action = Action
hub-audit-subject = Objet
hub-audit-detail = Détail
hub-audit-empty = Aucune modification.
hub-audit-older = Plus anciennes →
