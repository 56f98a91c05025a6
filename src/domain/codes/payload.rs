//! Congélo's own codes: participant cards, staff badges, kiosk enrolment and vouchers.
//!
//! A payload reads `CG` + kind letter + version digit + 32 characters of secret + 1 check character,
//! e.g. `CGC1…`. The secret is 160 random bits in Crockford's base-32 alphabet (digits and capitals
//! without I, L, O, U), which every scanner and keyboard layout sends unchanged and which fits QR's
//! compact alphanumeric mode. The check character (Damm's algorithm) refuses a mistyped or misread code,
//! and the fixed length refuses a truncated one. Product codes are digits or GS1 data, so a card can
//! never be mistaken for a pack. Only `SHA-256` of the canonical text ever leaves the card.

use std::fmt;

use data_encoding::{Encoding, Specification};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::domain::household::CardHash;

/// Every Congélo code starts with these two letters.
pub const PREFIX: &str = "CG";
/// The payload layout version this build writes and reads.
pub const VERSION: char = '1';
/// Random bytes in a secret: 160 bits, above the 128 the design asks for, and exactly 32 characters.
pub const SECRET_BYTES: usize = 20;
const SECRET_CHARS: usize = 32;
/// Prefix + kind + version + secret + check character.
pub const PAYLOAD_LEN: usize = 2 + 1 + 1 + SECRET_CHARS + 1;
const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What a payload grants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayloadKind {
    /// A household's participant card: selects its tier.
    Card,
    /// A staff member's badge: opens staff mode with a PIN.
    Badge,
    /// A one-time code that enrols a kiosk with the hub.
    Enrolment,
    /// A voucher handed out by a partner organisation.
    Voucher,
}

impl PayloadKind {
    pub const ALL: [PayloadKind; 4] = [
        PayloadKind::Card,
        PayloadKind::Badge,
        PayloadKind::Enrolment,
        PayloadKind::Voucher,
    ];

    fn letter(self) -> char {
        match self {
            PayloadKind::Card => 'C',
            PayloadKind::Badge => 'B',
            PayloadKind::Enrolment => 'E',
            PayloadKind::Voucher => 'V',
        }
    }

    fn from_letter(letter: char) -> Option<PayloadKind> {
        PayloadKind::ALL.into_iter().find(|k| k.letter() == letter)
    }
}

/// The random part of a payload. Its `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(pub [u8; SECRET_BYTES]);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(…)")
    }
}

/// A decoded Congélo code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Payload {
    pub kind: PayloadKind,
    pub secret: Secret,
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PayloadError {
    #[error("a Congélo code starts with CG")]
    WrongPrefix,
    #[error("unknown kind of Congélo code «{0}»")]
    UnknownKind(char),
    #[error("this Congélo code is version {0}; this kiosk reads version {VERSION}")]
    UnsupportedVersion(char),
    #[error("a Congélo code has {PAYLOAD_LEN} characters, this one has {0}: it is cut or too long")]
    WrongLength(usize),
    #[error("«{0}» cannot appear in a Congélo code")]
    BadCharacter(char),
    #[error("the check character does not match: the code was misread or mistyped")]
    BadCheckCharacter,
}

fn crockford() -> Encoding {
    let mut spec = Specification::new();
    spec.symbols.push_str(ALPHABET);
    spec.encoding()
        .expect("Crockford's alphabet is a valid base-32 specification")
}

/// Position of a character in the alphabet (after normalisation).
fn code_point(c: char) -> Option<u32> {
    ALPHABET.find(c).map(|i| i as u32)
}

/// Crockford's reading rules: case-insensitive, O is zero, I and L are one.
fn normalise(c: char) -> char {
    match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    }
}

/// Damm's check over GF(32): `r ∘ d = 2·r + d` (addition is XOR, multiplication modulo
/// x⁵ + x² + 1) is a totally anti-symmetric quasigroup, so one check character catches every single
/// wrong character and every swap of two neighbours, the check character included.
fn damm_step(interim: u32, point: u32) -> u32 {
    times_two(interim) ^ point
}

fn times_two(value: u32) -> u32 {
    let doubled = value << 1;
    if doubled & 0b10_0000 != 0 {
        doubled ^ 0b10_0101
    } else {
        doubled
    }
}

fn damm_interim(points: impl Iterator<Item = u32>) -> u32 {
    points.fold(0, damm_step)
}

/// The character `c` that brings the running value to zero: `2·r ⊕ c = 0`, so `c = 2·r`.
fn check_character(body_points: &[u32]) -> char {
    let index = times_two(damm_interim(body_points.iter().copied())) as usize;
    ALPHABET.as_bytes()[index] as char
}

impl Payload {
    pub fn new(kind: PayloadKind, secret: [u8; SECRET_BYTES]) -> Payload {
        Payload {
            kind,
            secret: Secret(secret),
        }
    }

    /// The canonical text printed in the QR code.
    pub fn encode(&self) -> String {
        let body = format!(
            "{}{VERSION}{}",
            self.kind.letter(),
            crockford().encode(&self.secret.0)
        );
        let points: Vec<u32> = body.chars().filter_map(code_point).collect();
        format!("{PREFIX}{body}{}", check_character(&points))
    }

    /// What a kiosk stores: SHA-256 of the canonical text.
    pub fn hash(&self) -> CardHash {
        CardHash::of_payload(&self.encode())
    }

    /// Reads a payload; `text` must start with `CG` (any case).
    pub fn decode(text: &str) -> Result<Payload, PayloadError> {
        let upper: String = text.chars().map(|c| c.to_ascii_uppercase()).collect();
        let rest = upper
            .strip_prefix(PREFIX)
            .ok_or(PayloadError::WrongPrefix)?;
        let mut chars = rest.chars();
        let kind_letter = chars
            .next()
            .ok_or(PayloadError::WrongLength(text.chars().count()))?;
        let kind =
            PayloadKind::from_letter(kind_letter).ok_or(PayloadError::UnknownKind(kind_letter))?;
        let version = chars
            .next()
            .ok_or(PayloadError::WrongLength(text.chars().count()))?;
        if version != VERSION {
            return Err(PayloadError::UnsupportedVersion(version));
        }
        if text.chars().count() != PAYLOAD_LEN {
            return Err(PayloadError::WrongLength(text.chars().count()));
        }
        let normalised: String = rest.chars().map(normalise).collect();
        let points = normalised
            .chars()
            .map(|c| code_point(c).ok_or(PayloadError::BadCharacter(c)))
            .collect::<Result<Vec<u32>, _>>()?;
        if damm_interim(points.iter().copied()) != 0 {
            return Err(PayloadError::BadCheckCharacter);
        }
        let secret_text = &normalised[2..2 + SECRET_CHARS];
        let bytes = crockford()
            .decode(secret_text.as_bytes())
            .map_err(|_| PayloadError::BadCheckCharacter)?;
        let secret: [u8; SECRET_BYTES] = bytes
            .try_into()
            .map_err(|_| PayloadError::WrongLength(text.len()))?;
        Ok(Payload::new(kind, secret))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn card() -> Payload {
        Payload::new(PayloadKind::Card, *b"0123456789abcdefghij")
    }

    #[test]
    fn layout_is_prefix_kind_version_secret_check() {
        let text = card().encode();
        assert_eq!(text.len(), PAYLOAD_LEN);
        assert!(text.starts_with("CGC1"), "{text}");
        assert!(
            text.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }

    #[test]
    fn reading_is_forgiving_about_case_and_look_alikes() {
        let text = card().encode();
        assert_eq!(Payload::decode(&text.to_lowercase()), Ok(card()));
        let with_o = text.replace('0', "O");
        assert_eq!(Payload::decode(&with_o), Ok(card()));
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        let text = card().encode();
        assert_eq!(
            Payload::decode(&text[..20]),
            Err(PayloadError::WrongLength(20))
        );
        assert_eq!(
            Payload::decode(&format!("{text}0")),
            Err(PayloadError::WrongLength(38))
        );
        assert_eq!(
            Payload::decode(&text.replacen("CGC1", "CGC2", 1)),
            Err(PayloadError::UnsupportedVersion('2'))
        );
        assert_eq!(
            Payload::decode(&text.replacen("CGC", "CGZ", 1)),
            Err(PayloadError::UnknownKind('Z'))
        );
        assert_eq!(
            Payload::decode(&text.replacen("CGC1", "CGC1U", 1)[..PAYLOAD_LEN]),
            Err(PayloadError::BadCharacter('U'))
        );
        assert_eq!(Payload::decode("XX"), Err(PayloadError::WrongPrefix));
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let shown = format!("{:?}", card());
        assert!(!shown.contains("48"), "{shown}");
        assert!(shown.contains("Secret(…)"));
    }

    proptest! {
        #[test]
        fn decode_inverts_encode(bytes in any::<[u8; SECRET_BYTES]>(), kind in 0usize..4) {
            let payload = Payload::new(PayloadKind::ALL[kind], bytes);
            prop_assert_eq!(Payload::decode(&payload.encode()), Ok(payload));
        }

        #[test]
        fn one_wrong_character_is_always_caught(bytes in any::<[u8; SECRET_BYTES]>(), pos in 4usize..PAYLOAD_LEN, shift in 1usize..32) {
            let text = Payload::new(PayloadKind::Card, bytes).encode();
            let mut chars: Vec<char> = text.chars().collect();
            let index = ALPHABET.find(chars[pos]).unwrap();
            chars[pos] = ALPHABET.as_bytes()[(index + shift) % 32] as char;
            let damaged: String = chars.into_iter().collect();
            prop_assert!(Payload::decode(&damaged).is_err());
        }

        #[test]
        fn swapping_two_neighbours_is_caught(bytes in any::<[u8; SECRET_BYTES]>(), pos in 4usize..PAYLOAD_LEN - 1) {
            let text = Payload::new(PayloadKind::Card, bytes).encode();
            let mut chars: Vec<char> = text.chars().collect();
            prop_assume!(chars[pos] != chars[pos + 1]);
            chars.swap(pos, pos + 1);
            let damaged: String = chars.into_iter().collect();
            prop_assert!(Payload::decode(&damaged).is_err());
        }
    }
}
