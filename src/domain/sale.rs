//! Sales and payments: what a kiosk commits before the door unlocks.
//!
//! A committed sale is immutable. It records everything a funder or a recall needs: who paid (a card
//! hash, never a name), at which tier, every line at full and charged price, weights, lots, and how
//! it was paid. A void points at the sale it cancels instead of changing it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::household::CardHash;
use super::ids::{HouseholdId, KioskId, ProductId, SaleId, TierId};
use super::money::Money;
use super::pricing::{PricedCart, PricedLine, Totals};

/// How a sale was paid. Which methods a kiosk offers comes from the hub.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub enum PaymentMethod {
    /// Coins and notes dropped into the honour cash box; rounded to 5 ¢.
    Cash,
    /// Taken from the household's prepaid balance.
    Prepaid,
    /// Owed by the household, within a small limit.
    PayLater,
    /// An external debit/credit terminal.
    CardTerminal,
}

impl PaymentMethod {
    pub const ALL: [PaymentMethod; 4] = [
        PaymentMethod::Cash,
        PaymentMethod::Prepaid,
        PaymentMethod::PayLater,
        PaymentMethod::CardTerminal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PaymentMethod::Cash => "cash",
            PaymentMethod::Prepaid => "prepaid",
            PaymentMethod::PayLater => "pay_later",
            PaymentMethod::CardTerminal => "card_terminal",
        }
    }

    pub fn from_name(text: &str) -> Option<PaymentMethod> {
        PaymentMethod::ALL.into_iter().find(|m| m.as_str() == text)
    }

    /// Only cash is rounded; electronic payments are to the cent.
    pub fn rounds_to_nickel(self) -> bool {
        self == PaymentMethod::Cash
    }
}

/// A payment settling a sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Payment {
    pub method: PaymentMethod,
    /// What changes hands.
    pub amount: Money,
    /// `amount − due`: the cash rounding (−2 ¢ to +2 ¢), zero otherwise.
    pub cash_rounding: Money,
    /// The terminal's authorisation reference, for card payments.
    pub reference: Option<String>,
}

impl Payment {
    /// The payment that settles `due` with `method`, rounding cash to 5 ¢.
    pub fn settle(method: PaymentMethod, due: Money) -> Payment {
        let amount = if method.rounds_to_nickel() {
            due.round_cash()
        } else {
            due
        };
        Payment {
            method,
            amount,
            cash_rounding: amount - due,
            reference: None,
        }
    }
}

/// Packs of one line taken from one lot (or from no known lot).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct LotTake {
    pub lot: Option<String>,
    pub quantity: u32,
}

/// A line of a committed sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct SaleLine {
    pub product: ProductId,
    pub quantity: u32,
    pub full_unit: Money,
    pub charged_unit: Money,
    pub unit_weight_g: u32,
    pub tax: Money,
    /// Which lots the packs came from, summing to `quantity`.
    pub lots: Vec<LotTake>,
}

impl SaleLine {
    pub fn full(&self) -> Money {
        self.full_unit.times(self.quantity)
    }

    pub fn paid(&self) -> Money {
        self.charged_unit.times(self.quantity)
    }

    /// The line as priced. Its lots start as those read from the packs' labels; the store assigns
    /// the other packs first-expiry-first-out when it commits the sale.
    pub fn from_priced(line: &PricedLine) -> SaleLine {
        let mut lots: Vec<LotTake> = Vec::new();
        for code in &line.scanned_lots {
            match lots.iter_mut().find(|t| t.lot.as_deref() == Some(code)) {
                Some(take) => take.quantity += 1,
                None => lots.push(LotTake {
                    lot: Some(code.clone()),
                    quantity: 1,
                }),
            }
        }
        SaleLine {
            product: line.product,
            quantity: line.quantity,
            full_unit: line.full_unit,
            charged_unit: line.charged_unit,
            unit_weight_g: line.unit_weight_g,
            tax: line.tax,
            lots,
        }
    }
}

/// Who bought, as far as Congélo knows: a card hash and its household number, or nobody.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Buyer {
    pub card: CardHash,
    pub household: HouseholdId,
}

/// A committed sale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct Sale {
    pub id: SaleId,
    pub kiosk: KioskId,
    /// The kiosk's wall-clock time (a Pi has no battery clock: the hub checks it).
    pub at: DateTime<Utc>,
    pub buyer: Option<Buyer>,
    pub tier: TierId,
    pub lines: Vec<SaleLine>,
    pub totals: Totals,
    pub payment: Payment,
    /// The configuration version the kiosk priced the sale with, so the hub can tell a price
    /// list the kiosk had not pulled yet from a price it should not have charged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub config_version: Option<u64>,
}

impl Sale {
    /// Builds a sale from a priced cart.
    pub fn from_cart(header: SaleHeader, priced: &PricedCart, payment: Payment) -> Sale {
        let lines = priced.lines.iter().map(SaleLine::from_priced).collect();
        Sale {
            id: header.id,
            kiosk: header.kiosk,
            at: header.at,
            buyer: header.buyer,
            tier: header.tier,
            lines,
            totals: priced.totals,
            payment,
            config_version: header.config_version,
        }
    }
}

/// The facts of a sale that come from outside the cart: the ids and the time are made at the edge.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SaleHeader {
    pub id: SaleId,
    pub kiosk: KioskId,
    pub at: DateTime<Utc>,
    pub buyer: Option<Buyer>,
    pub tier: TierId,
    /// The configuration version in force, if the kiosk has pulled one.
    pub config_version: Option<u64>,
}

/// Cancels a committed sale (a staff correction). The sale itself is never changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "hub", derive(utoipa::ToSchema))]
pub struct SaleVoid {
    pub sale: SaleId,
    pub at: DateTime<Utc>,
    pub reason: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case(PaymentMethod::Cash, 436, 435, -1)]
    #[case(PaymentMethod::Cash, 438, 440, 2)]
    #[case(PaymentMethod::Prepaid, 438, 438, 0)]
    #[case(PaymentMethod::CardTerminal, 1, 1, 0)]
    #[case(PaymentMethod::PayLater, 1, 1, 0)]
    fn only_cash_is_rounded(
        #[case] method: PaymentMethod,
        #[case] due: i64,
        #[case] amount: i64,
        #[case] rounding: i64,
    ) {
        let payment = Payment::settle(method, Money::from_cents(due));
        assert_eq!(payment.amount, Money::from_cents(amount));
        assert_eq!(payment.cash_rounding, Money::from_cents(rounding));
    }

    #[test]
    fn method_names_round_trip() {
        for method in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::from_name(method.as_str()), Some(method));
        }
    }
}
