# Congélo kiosk — English (Canada).

language-name = English
meta-money-style = dot-before
# How this language writes a time of day (a chrono format): 16:43.
meta-time-format = %H:%M

idle-scan-card = Scan your card
idle-scan-card-hint = If you have one
idle-scan-pack = Scan a product
idle-scan-pack-hint = The barcode on the bag
idle-pick-picture = I can't scan

cart-less = One less
cart-more = One more
cart-quantity = Number
cart-remove = Remove
cart-empty = Scan a product
cart-welcome = Welcome
cart-total = Total
cart-pay = Pay
cart-pictures = Pictures
cart-cancel-all = Cancel all
cart-cash-total = Cash:
undo-line = You took out { $name }.
undo-cart = You cancelled everything.
undo-button = Put back

grid-title = Touch the product
grid-back = Back
grid-type-code = Type the barcode number
grid-code-field = Barcode number
grid-code-ok = Add

unknown-title = Unknown code
unknown-text = This code is not recognized. Try again, or choose the picture.
unknown-pictures = Pictures
notice-ok = OK
recalled-title = Do not eat
recalled-text = This pack has been recalled. Put it in the bin for staff. Do not take it home.
recalled-ok = OK, I put it in the bin

card-welcome-title = Welcome!
card-welcome-text = Scan your products.
card-expired-title = Card expired
card-revoked-title = Card cancelled
card-unknown-title = Unknown card
card-refused-text = Ask the front desk for a new card. You can buy at the regular price.
card-buy-full-price = Buy at the regular price
card-refused-cancel = Cancel

cap-title = Limit reached
# { $period } is cap-period-week or cap-period-month; { $count } packs.
cap-period-week = this week
cap-period-month = this month
cap-left-items = You can still add { $count ->
        [one] 1 product
       *[other] { $count } products
    } { $period }.
cap-full = You cannot add anything more { $period }: your cart is at the limit.
cap-over-items = Your cart is over the limit { $period }: remove { $count ->
        [one] 1 product
       *[other] { $count } products
    }.
cap-left-amount = You can still spend { $amount } { $period }, on top of your cart.
cap-over-amount = Your cart is { $amount } over the limit { $period }: remove some products.
cap-back-to-cart = Back to the cart

pay-total = To pay
pay-choose = How do you pay?
pay-method-cash = Cash
pay-method-prepaid = My prepaid balance
pay-method-pay-later = Pay later
pay-method-card = Debit or credit card
pay-back = Back

cash-amount = Put in the box
cash-instructions = Drop the money in the box, then touch "I paid".
cash-confirm = I paid

prepaid-after = Balance after this purchase
prepaid-confirm = Pay with my balance

pay-later-owed = You will owe in total
pay-later-confirm = Pay later

terminal-waiting-title = Follow the terminal
terminal-waiting-text = Pay on the terminal:
terminal-declined-title = Payment declined
terminal-timeout-title = No answer from the terminal
terminal-failed-text = Try again, or choose another way to pay.
terminal-cancel = Cancel
terminal-retry = Try again
terminal-other-method = Another way to pay

done-title = Thank you!
done-text = Take your products and close the freezer well.

still-there-title = Are you still there?
still-there-yes = Yes, I'm here

out-of-order-title = Out of order
out-of-order-cannot-record = This freezer cannot record purchases right now. Staff have been told.
out-of-order-not-configured = This freezer is not set up yet.

sync-pending = { $count ->
        [0] All sent
        [one] 1 waiting
       *[other] { $count } waiting
    }
sync-last = last sent { $time }

## Staff mode

out-of-order-cold-chain = The freezer got too warm. A staff member must check it.
staff-pin-title = PIN
staff-pin-attempts = { $count ->
        [one] 1 try left
       *[other] { $count } tries left
    }
staff-pin-locked = Badge locked until { $time }
staff-menu-title = Staff
staff-menu = Menu
staff-leave = Leave
staff-restock = Restock
staff-count = Count
staff-loss = Remove
staff-levels = Stock
staff-lots = Lots and dates
staff-alarms = Alarms
staff-temperature = Temperature
staff-sync = Sending to the hub
staff-enrol = Link to the hub
staff-pick-product = Scan a pack or touch its picture.
staff-lot = Lot
staff-best-before = Best before
staff-best-before-earlier = One month earlier
staff-best-before-later = One month later
staff-book-level = The books say:
staff-reason-thawed = Thawed
staff-reason-damaged = Damaged
staff-reason-expired = Expired
staff-reason-other = Other
staff-fewer = One less
staff-more = One more
staff-quantity = Number
staff-save = Save
staff-choose-reason = Choose the reason first
staff-first-out = sell first
staff-recalled = RECALLED — pull
staff-clear-hold = Freezer checked: resume sales
staff-no-alarms = No alarms.
staff-24h-ago = 24 h ago
staff-now = now
staff-no-reading = No reading
staff-sync-now = Send now
staff-sync-off = This freezer is not linked to the hub yet.
staff-sync-error = Last error: { $why }
staff-clock-suspect = The freezer's clock looks wrong.
staff-no-hub = No hub address configured
staff-enrol-text = Scan the enrolment QR code shown by the hub.
staff-notice-saved = Saved ✓
staff-notice-wrong-pin = Wrong PIN
staff-notice-enrolling = Enrolling…
staff-notice-enrolled = Freezer linked to the hub ✓
staff-notice-enrol-failed = Enrolment refused: { $why }
staff-notice-no-hub = No hub address in the settings.
staff-notice-sync-requested = Sending requested
staff-notice-badge-locked = Badge locked: wait until the time shown.
staff-notice-hold-cleared = Sales resumed ✓
staff-notice-recalled = Recalled lot: do not put it in the freezer
staff-alarm-cold-chain = Too warm for too long
staff-alarm-cold-chain-over = Temperature back to normal
staff-alarm-probe-lost = Probe silent
staff-alarm-probe-back = Probe back
staff-alarm-door-open = Door open too long
staff-alarm-door-closed = Door closed
staff-alarm-recalled = Recalled pack scanned
staff-alarm-recalled-seen = Recalled packs seen by staff

## Voice: what the speaker says on each resident screen (assets/voice/en-CA/<id>.ogg)

listen = Listen
voice-idle = Hello! Scan your card if you have one, then scan your products. If a product will not scan, touch "I can't scan".
voice-cart = Scan your other products. When you are done, touch the green "Pay" button.
voice-grid = Touch the picture of your product.
voice-unknown-code = This code is not recognized. Try again, or choose the picture of the product.
voice-recalled-lot = Do not eat this product: it has been recalled. Put it in the bin for staff. Do not take it home.
voice-card-accepted = Welcome! Scan your products.
voice-card-refused = This card cannot be used. Ask the front desk for a new card. You can buy at the regular price.
voice-cap-reached = You have reached your limit. This product was not added: put it back in the freezer.
voice-payment-choice = How do you pay? Touch one of the buttons.
voice-cash = Put the money shown on the screen in the box, then touch "I paid".
voice-prepaid = To pay with your balance, touch "Pay with my balance".
voice-pay-later = To pay later, touch "Pay later".
voice-terminal-waiting = Follow the instructions on the payment terminal.
voice-terminal-failed = The payment did not go through. Try again, or choose another way to pay.
voice-done = Thank you! Take your products and close the freezer well.
voice-still-there = Are you still there? Touch "Yes, I'm here" to keep your cart.
voice-out-of-order = This freezer is out of order for now. Please come back later.

## Number pads (the code under a barcode, the staff PIN)
keypad-erase = Erase the last digit
keypad-clear = Clear all

## Temperature chart (staff)
staff-chart-limit = Limit
