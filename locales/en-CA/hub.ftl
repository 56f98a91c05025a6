# Congélo hub — web pages, English (Canada).
# Every id starts with "hub-"; fr-CA/hub.ftl has exactly the same ones.

hub-app-name = Congélo — the collective's hub
hub-nav-label = Main navigation
hub-nav-home = Home
hub-nav-products = Products
hub-nav-tiers = Tiers
hub-nav-households = Households and cards
hub-nav-sites = Sites and kiosks
hub-nav-reports = Reports
hub-nav-fleet = Fleet health
hub-nav-users = Users
hub-nav-audit = Audit log
hub-logout = Log out
hub-save = Save
hub-cancel = Cancel
hub-edit = Edit
hub-yes = Yes
hub-no = No

hub-role-admin = Collective admin
hub-role-viewer = Report viewer
hub-role-site-staff = Staff of site { $site }
hub-role-site-staff-any = Site staff

hub-error-login-title = Please log in
hub-error-login-text = Log in to see this page.
hub-error-forbidden-title = Access denied
hub-error-forbidden-text = Your role does not allow this page.
hub-error-csrf-title = Form refused
hub-error-csrf-text = This form has expired or did not come from this page. Nothing was saved. Reload the page and try again.
hub-error-not-found-title = Page not found
hub-error-not-found-text = This page does not exist (any more).
hub-error-bad-form-title = Unreadable form
hub-error-bad-form-text = The form that was sent could not be read. Nothing was saved.
hub-error-internal-title = Something went wrong
hub-error-internal-text = The hub could not handle this request; the error was logged. Nothing was half-saved.
hub-error-home = Back to the home page

hub-login-title = Log in
hub-login-username = Username
hub-login-password = Password
hub-login-submit = Log in
hub-login-wrong = Wrong username or password.
hub-login-locked = Too many failed attempts: this account is locked for a few minutes.

hub-dashboard-title = Home
hub-dashboard-welcome = Hello { $login }. What would you like to do?

hub-account-title = My account
hub-account-password = Change password
hub-account-current = Current password
hub-account-new = New password
hub-account-confirm = New password, again
hub-account-rule = At least 10 characters. An easy-to-remember sentence is fine.
hub-account-change = Change password
hub-account-changed = Password changed. Your other sessions are closed.
hub-account-error-length = A password has 10 to 200 characters.
hub-account-error-confirm = The two new passwords are not the same.
hub-account-error-current = The current password is wrong.

hub-users-title = Users
hub-users-saved = User saved.
hub-users-login = Username
hub-users-role = Role
hub-users-site = Site
hub-users-site-hint = Only for site staff.
hub-users-state = State
hub-users-change = Change
hub-users-disabled = Disabled
hub-users-locked = Locked
hub-users-new = New user
hub-users-create = Create user
hub-users-error-login = A username has 1 to 64 characters and no spaces.
hub-users-error-taken = This username is already taken.
hub-users-error-role = Choose a role.
hub-users-error-site = Choose this staff member's site.
hub-users-error-self = You cannot remove your own admin role or disable your own account.

hub-audit-title = Audit log
hub-audit-user = User
hub-audit-everyone = Everyone
hub-audit-filter = Filter
hub-audit-when = When
hub-audit-who = Who
hub-audit-action = Action
hub-audit-subject = Subject
hub-audit-detail = Detail
hub-audit-empty = No changes.
hub-audit-older = Older →
