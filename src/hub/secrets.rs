//! The secrets the hub hands out and what it keeps of them: kiosk tokens, enrolment codes, the
//! enrolment QR code, and admin passwords.
//!
//! Tokens and enrolment codes carry 160–256 random bits, so a plain SHA-256 is all the hub needs
//! to keep (nobody can guess the preimage; a slow hash would only slow every push). Passwords are
//! chosen by people, so they get argon2id with a random salt.

use sha2::{Digest, Sha256};
use thiserror::Error;

use super::store::SecretHash;
use crate::domain::codes::{Payload, PayloadKind};
use crate::entropy::EntropyError;

/// Every kiosk token starts with this, so one found in a log is recognisable.
pub const TOKEN_PREFIX: &str = "cgk_";

#[derive(Debug, Error)]
pub enum SecretError {
    #[error(transparent)]
    Entropy(#[from] EntropyError),
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("this is not an enrolment code: {0}")]
    NotAnEnrolmentCode(String),
    #[error("the QR code could not be drawn: {0}")]
    Qr(String),
    #[error("the password could not be hashed: {0}")]
    Password(String),
}

/// A fresh kiosk token (256 random bits) and its hash.
pub fn new_token() -> Result<(String, SecretHash), SecretError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| SecretError::Random(e.to_string()))?;
    let token = format!("{TOKEN_PREFIX}{}", hex::encode(bytes));
    let hash = token_hash(&token);
    Ok((token, hash))
}

/// What the hub stores of a token (and looks up at each request).
pub fn token_hash(token: &str) -> SecretHash {
    SecretHash(Sha256::digest(token.trim().as_bytes()).into())
}

/// A fresh one-time enrolment code (`CGE1…`): the text to show once, and its hash.
pub fn new_enrolment_code() -> Result<(String, SecretHash), SecretError> {
    let payload = crate::entropy::new_payload(PayloadKind::Enrolment)?;
    Ok((payload.encode(), SecretHash(payload.hash().0)))
}

/// The hash of a typed or scanned enrolment code, after checking it is one (its check character
/// catches a misread before the hub's database is asked).
pub fn enrolment_code_hash(text: &str) -> Result<SecretHash, SecretError> {
    let payload =
        Payload::decode(text).map_err(|e| SecretError::NotAnEnrolmentCode(e.to_string()))?;
    if payload.kind != PayloadKind::Enrolment {
        return Err(SecretError::NotAnEnrolmentCode(format!(
            "it is a {:?} code",
            payload.kind
        )));
    }
    Ok(SecretHash(payload.hash().0))
}

/// The enrolment code as an SVG QR code, for staff to scan with the kiosk's own scanner.
pub fn qr_svg(code: &str) -> Result<String, SecretError> {
    let qr = qrcode::QrCode::new(code.as_bytes()).map_err(|e| SecretError::Qr(e.to_string()))?;
    Ok(qr
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(256, 256)
        .quiet_zone(true)
        .build())
}

/// An argon2id PHC string for a password (see [`crate::passwords`], shared with the kiosk).
pub fn hash_password(password: &str) -> Result<String, SecretError> {
    crate::passwords::hash_secret(password).map_err(|e| SecretError::Password(e.to_string()))
}

/// Whether `password` matches a stored PHC string.
pub fn verify_password(password: &str, stored: &str) -> bool {
    crate::passwords::verify_secret(password, stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_fresh_and_hashed() {
        let (a, hash_a) = new_token().unwrap();
        let (b, _) = new_token().unwrap();
        assert_ne!(a, b);
        assert!(a.starts_with(TOKEN_PREFIX) && a.len() == TOKEN_PREFIX.len() + 64);
        assert_eq!(token_hash(&a), hash_a);
    }

    #[test]
    fn enrolment_codes_round_trip_and_other_codes_are_refused() {
        let (code, hash) = new_enrolment_code().unwrap();
        assert!(code.starts_with("CGE1"));
        assert_eq!(enrolment_code_hash(&code.to_lowercase()).unwrap(), hash);
        let card = crate::entropy::new_payload(PayloadKind::Card)
            .unwrap()
            .encode();
        assert!(enrolment_code_hash(&card).is_err());
        assert!(enrolment_code_hash("CGE1").is_err());
    }

    #[test]
    fn the_qr_code_is_an_svg() {
        let (code, _) = new_enrolment_code().unwrap();
        let svg = qr_svg(&code).unwrap();
        assert!(svg.contains("<svg") && svg.contains("</svg>"));
    }

    #[test]
    fn passwords_verify_only_themselves() {
        let stored = hash_password("correct horse").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &stored));
        assert!(!verify_password("wrong horse", &stored));
        assert!(!verify_password("x", "not a hash"));
    }
}
