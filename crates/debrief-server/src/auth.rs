//! Who is asking: bearer tokens, roles, passwords.
//!
//! Tokens are 32 random bytes shown once (`dbr_` + hex) and stored as their SHA-256; passwords
//! are Argon2id hashes. Every request looks its token up in the database, so a revoked token
//! stops working on every instance at once. No secret is ever logged or audited.

use argon2::Argon2;
use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use debrief_store::{User, Viewer};

/// The label of a token made by signing in with a password through the API.
pub const API_SESSION: &str = "login";
/// The label of a token made by signing in from the browser.
pub const BROWSER_SESSION: &str = "browser session";
/// Tokens that a password made: they end when the password changes.
pub const SESSION_LABELS: [&str; 2] = [API_SESSION, BROWSER_SESSION];

/// Roles, least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Role {
    Viewer,
    Editor,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "viewer" => Some(Role::Viewer),
            "editor" => Some(Role::Editor),
            "admin" => Some(Role::Admin),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }
}

/// The caller of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    Anonymous,
    User { name: String, role: Role },
}

impl Subject {
    pub fn of(user: &User) -> Subject {
        Subject::User {
            name: user.name.clone(),
            role: Role::parse(&user.role).unwrap_or(Role::Viewer),
        }
    }

    pub fn name(&self) -> &str {
        match self {
            Subject::Anonymous => "anonymous",
            Subject::User { name, .. } => name,
        }
    }

    pub fn role(&self) -> Option<Role> {
        match self {
            Subject::Anonymous => None,
            Subject::User { role, .. } => Some(*role),
        }
    }

    /// The viewer restricted postmortems are checked against.
    pub fn viewer(&self) -> Viewer {
        Viewer {
            name: self.name().to_string(),
            admin: self.role() == Some(Role::Admin),
        }
    }
}

/// A new API token: the secret to show once, and the hash to store.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    // The operating system's generator failing is not something to limp on from.
    getrandom::fill(&mut bytes).expect("the system random number generator is unavailable");
    let secret = format!(
        "dbr_{}",
        bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
    );
    let hash = token_hash(&secret);
    (secret, hash)
}

/// What a webhook's secret starts with; a user's token starts with `dbr_`.
pub const HOOK_SECRET_PREFIX: &str = "dbh_";

/// A new webhook secret (`dbh_` + 64 hex digits) and the hash to store.
pub fn new_hook_secret() -> (String, String) {
    let (token, _) = new_token();
    let secret = format!("{HOOK_SECRET_PREFIX}{}", &token[4..]);
    let hash = token_hash(&secret);
    (secret, hash)
}

pub fn token_hash(secret: &str) -> String {
    debrief_store::sha256_hex(secret.as_bytes())
}

/// An Argon2id hash of a password (PHC string).
pub fn hash_password(password: &str) -> Result<String, String> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| format!("cannot hash the password: {e}"))
}

/// An Argon2id hash of a random password no one knows, made once: a login for a name that does
/// not exist is checked against it, so it costs as much as a wrong password for a real user.
pub fn stand_in_hash() -> &'static str {
    static HASH: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    HASH.get_or_init(|| {
        let (secret, _) = new_token();
        hash_password(&secret).unwrap_or_default()
    })
}

pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_and_tokens() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse", &h));
        assert!(!verify_password("wrong", &h));
        let (secret, hash) = new_token();
        assert!(secret.starts_with("dbr_") && secret.len() == 68);
        assert_eq!(token_hash(&secret), hash);
        assert_ne!(new_token().0, secret);
    }
}
