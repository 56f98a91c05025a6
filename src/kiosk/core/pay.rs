//! Paying and committing: the sale is written to the store before the screen says "done".

use super::{Action, KioskCore};
use crate::domain::Money;
use crate::domain::accounts::{owed_after, pay_later_allowed, prepaid_available};
use crate::domain::cart::Cart;
use crate::domain::pricing::{PricedCart, price_cart};
use crate::domain::product::Product;
use crate::domain::sale::{Buyer as SaleBuyer, Payment, PaymentMethod, Sale, SaleHeader};
use crate::domain::tier::Tier;
use crate::entropy::new_sale_id;
use crate::kiosk::feedback::Feedback;
use crate::kiosk::terminal::TerminalOutcome;
use crate::kiosk::view::{Screen, TerminalPhase};
use crate::store::StoreError;

impl KioskCore {
    pub(super) fn on_payment_action(&mut self, action: &Action) -> Result<(), StoreError> {
        match (action.clone(), self.screen) {
            (Action::Pay, Screen::Cart | Screen::Grid) => self.start_payment(),
            (Action::ChooseMethod(method), Screen::PaymentChoice) => self.choose(method),
            (Action::ConfirmPayment, Screen::Cash | Screen::Prepaid | Screen::PayLater) => {
                match self.session.method {
                    Some(method) => self.commit(method, None),
                    None => Ok(()),
                }
            }
            (Action::Back, Screen::PaymentChoice) => {
                self.show(Screen::Cart);
                Ok(())
            }
            (Action::Back, Screen::Cash | Screen::Prepaid | Screen::PayLater)
            | (Action::Back | Action::CancelTerminal, Screen::Terminal(_)) => {
                if self.screen == Screen::Terminal(TerminalPhase::Waiting) {
                    self.terminal.cancel(self.terminal_attempt);
                }
                self.show(Screen::PaymentChoice);
                Ok(())
            }
            (
                Action::RetryTerminal,
                Screen::Terminal(TerminalPhase::Declined | TerminalPhase::TimedOut),
            ) => self.start_terminal(),
            _ => Ok(()),
        }
    }

    /// The tier prices are computed at: the card's, or the default (full price).
    pub(super) fn tier(&self) -> Result<Tier, StoreError> {
        match &self.session.buyer {
            Some(buyer) => Ok(buyer.tier.clone()),
            None => self.store.default_tier(),
        }
    }

    /// The products of `cart`'s lines, each looked up by id (never the whole catalogue).
    pub(super) fn cart_products(&self, cart: &Cart) -> Result<Vec<Product>, StoreError> {
        let mut products = Vec::with_capacity(cart.lines().len());
        for line in cart.lines() {
            let product = self.store.product(line.product)?;
            products.push(product.ok_or_else(|| {
                StoreError::Corrupt(format!("product {} vanished", line.product))
            })?);
        }
        Ok(products)
    }

    pub(super) fn priced(&self) -> Result<PricedCart, StoreError> {
        let tier = self.tier()?;
        let products = self.cart_products(&self.session.cart)?;
        price_cart(
            &self.session.cart,
            |id| products.iter().find(|p| p.id == id),
            &tier,
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))
    }

    fn start_payment(&mut self) -> Result<(), StoreError> {
        if self.session.cart.is_empty() {
            return Ok(());
        }
        // Before any money changes hands: a sale that could not be written is refused here.
        self.ensure_room()?;
        let cart = self.session.cart.clone();
        if self.cap_exceeded(&cart)?.is_some() {
            return Ok(());
        }
        if self.priced()?.totals.due == Money::ZERO {
            return self.commit(PaymentMethod::Cash, None);
        }
        self.session.method = None;
        self.show(Screen::PaymentChoice);
        Ok(())
    }

    /// The payment methods this kiosk enables that this household can use for this cart.
    pub(super) fn available_methods(&self, due: Money) -> Result<Vec<PaymentMethod>, StoreError> {
        let mut methods = Vec::new();
        for method in self.store.payment_methods()? {
            let usable = match method {
                PaymentMethod::Cash | PaymentMethod::CardTerminal => true,
                PaymentMethod::Prepaid => self.prepaid_left()?.is_some_and(|left| left >= due),
                PaymentMethod::PayLater => self.pay_later_ok(due)?,
            };
            if usable {
                methods.push(method);
            }
        }
        Ok(methods)
    }

    /// What the buyer may still spend from a prepaid balance, if they have one.
    pub(super) fn prepaid_left(&self) -> Result<Option<Money>, StoreError> {
        let Some(buyer) = &self.session.buyer else {
            return Ok(None);
        };
        let Some(balance) = buyer.household.balance else {
            return Ok(None);
        };
        let spent = self
            .store
            .paid_here_since_snapshot(buyer.household.id, PaymentMethod::Prepaid)?;
        Ok(Some(prepaid_available(balance, spent)))
    }

    fn pay_later_ok(&self, due: Money) -> Result<bool, StoreError> {
        let Some(buyer) = &self.session.buyer else {
            return Ok(false);
        };
        let h = &buyer.household;
        let here = self
            .store
            .paid_here_since_snapshot(h.id, PaymentMethod::PayLater)?;
        Ok(pay_later_allowed(
            h.pay_later_limit,
            h.pay_later_owed,
            here,
            due,
        ))
    }

    /// What the buyer will owe after putting `due` on their tab.
    pub(super) fn owed_after(&self, due: Money) -> Result<Option<Money>, StoreError> {
        let Some(buyer) = &self.session.buyer else {
            return Ok(None);
        };
        let h = &buyer.household;
        let here = self
            .store
            .paid_here_since_snapshot(h.id, PaymentMethod::PayLater)?;
        Ok(Some(owed_after(h.pay_later_owed, here, due)))
    }

    fn choose(&mut self, method: PaymentMethod) -> Result<(), StoreError> {
        let due = self.priced()?.totals.due;
        if !self.available_methods(due)?.contains(&method) {
            return Ok(());
        }
        self.session.method = Some(method);
        match method {
            PaymentMethod::Cash => self.show(Screen::Cash),
            PaymentMethod::Prepaid => self.show(Screen::Prepaid),
            PaymentMethod::PayLater => self.show(Screen::PayLater),
            PaymentMethod::CardTerminal => return self.start_terminal(),
        }
        Ok(())
    }

    fn start_terminal(&mut self) -> Result<(), StoreError> {
        let due = self.priced()?.totals.due;
        self.terminal_attempt += 1;
        self.show(Screen::Terminal(TerminalPhase::Waiting));
        let reply = self.terminal_reply.clone();
        self.terminal.start(self.terminal_attempt, due, reply);
        Ok(())
    }

    pub(super) fn on_terminal(&mut self, attempt: u64, outcome: TerminalOutcome) {
        let waiting = self.screen == Screen::Terminal(TerminalPhase::Waiting);
        if attempt != self.terminal_attempt || !waiting {
            tracing::warn!(
                attempt,
                ?outcome,
                "late answer from the card terminal ignored"
            );
            return;
        }
        self.touch();
        let result = match outcome {
            TerminalOutcome::Approved { reference } => {
                self.commit(PaymentMethod::CardTerminal, Some(reference))
            }
            TerminalOutcome::Declined => {
                self.emit(Feedback::Error);
                self.show(Screen::Terminal(TerminalPhase::Declined));
                Ok(())
            }
            TerminalOutcome::Cancelled => {
                self.show(Screen::PaymentChoice);
                Ok(())
            }
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    /// Writes the sale durably, then — only then — says "done".
    fn commit(
        &mut self,
        method: PaymentMethod,
        reference: Option<String>,
    ) -> Result<(), StoreError> {
        let priced = self.priced()?;
        let tier = self.tier()?;
        let header = SaleHeader {
            id: new_sale_id(),
            kiosk: self.store.kiosk_id()?,
            at: self.clock.now(),
            buyer: self.session.buyer.as_ref().map(|b| SaleBuyer {
                card: b.card,
                household: b.household.id,
            }),
            tier: tier.id,
            config_version: self.store.config_version()?,
        };
        let mut payment = Payment::settle(method, priced.totals.due);
        payment.reference = reference;
        let sale = Sale::from_cart(header, &priced, payment);
        let recorded = self.store.record_sale(&sale)?;
        for (product, level) in &recorded.negative_stock {
            tracing::warn!(%product, level, "stock below zero after a sale: staff should count");
        }
        tracing::info!(sale = %sale.id, seq = %recorded.seq, paid = %sale.totals.paid, "sale committed");
        self.emit(Feedback::Done);
        self.services.sale_committed(recorded.seq);
        self.show(Screen::Done);
        Ok(())
    }
}
