//! Hashing what people choose: hub passwords and staff PINs, with Argon2id and a random salt.
//!
//! Machine-made secrets (card payloads, tokens) have 160 random bits and only need SHA-256; what a
//! person picks is guessable and gets a slow, salted hash. Both the hub (passwords) and the kiosk
//! (verifying a badge's PIN offline) use this module.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum PasswordError {
    #[error("the operating system gave no random bytes: {0}")]
    Random(String),
    #[error("cannot hash the secret: {0}")]
    Hash(String),
}

/// An Argon2id PHC string (`$argon2id$…`) for `secret`.
pub fn hash_secret(secret: &str) -> Result<String, PasswordError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| PasswordError::Random(e.to_string()))?;
    let salt = SaltString::encode_b64(&bytes).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Argon2::default()
        .hash_password(secret.as_bytes(), &salt)
        .map(|hash| hash.to_string())
        .map_err(|e| PasswordError::Hash(e.to_string()))
}

/// Whether `secret` matches a stored PHC string; a malformed string matches nothing.
pub fn verify_secret(secret: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|hash| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &hash)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_secret_verifies_only_itself() {
        let stored = hash_secret("1234").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(verify_secret("1234", &stored));
        assert!(!verify_secret("1235", &stored));
        assert!(!verify_secret("1234", "not a hash"));
        assert_ne!(stored, hash_secret("1234").unwrap(), "salted");
    }
}
