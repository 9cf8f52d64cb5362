//! ed25519 keys and signatures as small text files: a header line that says what the file
//! is, then the bytes in hex. The header lets `verify --key` tell a private key, a public
//! key and a signature apart and say which one it was given.

use super::IntegrityError;
use super::digest::{hex, unhex};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use std::io::Write;
use std::path::{Path, PathBuf};

/// First line of a private key file.
pub const PRIVATE_HEADER: &str = "evidentia ed25519 private key";
/// First line of a public key file.
pub const PUBLIC_HEADER: &str = "evidentia ed25519 public key";
/// First line of a signature file.
pub const SIGNATURE_HEADER: &str = "evidentia ed25519 signature";

/// A key pair written by [`keygen`].
#[derive(Debug)]
pub struct KeyFiles {
    /// The private key (mode 0600).
    pub private: PathBuf,
    /// The public key, to hand to whoever verifies.
    pub public: PathBuf,
}

/// Makes a new key pair from the operating system's random source and writes
/// `PREFIX.key` and `PREFIX.pub`. Refuses to overwrite either file: a lost private key
/// would make every signature made with it unverifiable against the new public key.
pub fn keygen(prefix: &Path) -> Result<KeyFiles, IntegrityError> {
    let with_ext = |ext: &str| {
        let mut name = prefix.as_os_str().to_owned();
        name.push(ext);
        PathBuf::from(name)
    };
    let files = KeyFiles {
        private: with_ext(".key"),
        public: with_ext(".pub"),
    };
    for path in [&files.private, &files.public] {
        if path.exists() {
            return Err(IntegrityError::KeyExists(path.clone()));
        }
    }
    let key = SigningKey::generate(&mut rand_core::OsRng);
    write_new(
        &files.private,
        &format!("{PRIVATE_HEADER}\n{}\n", hex(key.as_bytes())),
        0o600,
    )?;
    write_new(
        &files.public,
        &format!("{PUBLIC_HEADER}\n{}\n", hex(key.verifying_key().as_bytes())),
        0o644,
    )?;
    Ok(files)
}

fn write_new(path: &Path, text: &str, mode: u32) -> Result<(), IntegrityError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
    #[cfg(not(unix))]
    let _ = mode;
    let io = |source| IntegrityError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            IntegrityError::KeyExists(path.to_path_buf())
        } else {
            io(e)
        }
    })?;
    file.write_all(text.as_bytes()).map_err(io)?;
    file.sync_all().map_err(io)
}

/// Reads a private key file (for `build --sign`).
pub fn read_signing_key(path: &Path) -> Result<SigningKey, IntegrityError> {
    let bytes: [u8; 32] = read_key(path, PRIVATE_HEADER, "--sign needs the private key (.key)")?;
    Ok(SigningKey::from_bytes(&bytes))
}

/// Reads a public key file (for `verify --key`).
pub fn read_verifying_key(path: &Path) -> Result<VerifyingKey, IntegrityError> {
    let bytes: [u8; 32] = read_key(
        path,
        PUBLIC_HEADER,
        "verify with the public key (.pub), not the private one",
    )?;
    VerifyingKey::from_bytes(&bytes).map_err(|_| IntegrityError::NotAKey {
        path: path.to_path_buf(),
        reason: "its bytes are not a point on the ed25519 curve".to_owned(),
    })
}

fn read_key<const N: usize>(
    path: &Path,
    header: &str,
    wrong_kind: &str,
) -> Result<[u8; N], IntegrityError> {
    let not_a_key = |reason: &str| IntegrityError::NotAKey {
        path: path.to_path_buf(),
        reason: reason.to_owned(),
    };
    let bytes = std::fs::read(path).map_err(|source| IntegrityError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let text = String::from_utf8(bytes).map_err(|_| not_a_key("it is not text"))?;
    let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
    let first = lines.next().unwrap_or_default();
    if first != header {
        if [PRIVATE_HEADER, PUBLIC_HEADER, SIGNATURE_HEADER].contains(&first) {
            return Err(not_a_key(&format!("it is an {first}: {wrong_kind}")));
        }
        return Err(not_a_key(&format!(
            "its first line is not `{header}` (make one with `evidentia keygen`)"
        )));
    }
    let body = lines.next().unwrap_or_default();
    unhex(body)
        .and_then(|b| <[u8; N]>::try_from(b).ok())
        .ok_or_else(|| {
            not_a_key(&format!(
                "the line after the header is not {N} bytes of hex"
            ))
        })
}

/// The text of a signature file over `message`.
pub fn sign(key: &SigningKey, message: &[u8]) -> String {
    format!(
        "{SIGNATURE_HEADER}\n{}\n",
        hex(&key.sign(message).to_bytes())
    )
}

/// What checking a signature found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureCheck {
    /// The signature is the key's, over exactly these bytes.
    Good,
    /// There is no signature file.
    Missing,
    /// The signature file is not one (wrong header, not hex, wrong length).
    Malformed,
    /// A well-formed signature that does not match: the manifest was changed, or it was
    /// signed with another key.
    Mismatch,
}

/// Checks signature file text `sig` over `message` with `key`.
pub fn check(key: &VerifyingKey, message: &[u8], sig: &str) -> SignatureCheck {
    let mut lines = sig.lines().map(str::trim).filter(|l| !l.is_empty());
    if lines.next() != Some(SIGNATURE_HEADER) {
        return SignatureCheck::Malformed;
    }
    let Some(bytes) = lines
        .next()
        .and_then(unhex)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
    else {
        return SignatureCheck::Malformed;
    };
    // verify_strict refuses the malleable and small-order edge cases that `verify` lets by.
    match key.verify_strict(message, &Signature::from_bytes(&bytes)) {
        Ok(()) => SignatureCheck::Good,
        Err(_) => SignatureCheck::Mismatch,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keygen_sign_check_round_trip() {
        let tmp = tempfile::tempdir().unwrap();
        let prefix = tmp.path().join("site");
        let files = keygen(&prefix).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&files.private)
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert!(matches!(keygen(&prefix), Err(IntegrityError::KeyExists(_))));
        let sk = read_signing_key(&files.private).unwrap();
        let pk = read_verifying_key(&files.public).unwrap();
        let sig = sign(&sk, b"manifest");
        assert_eq!(check(&pk, b"manifest", &sig), SignatureCheck::Good);
        assert_eq!(check(&pk, b"manifesT", &sig), SignatureCheck::Mismatch);
        assert_eq!(check(&pk, b"manifest", "junk"), SignatureCheck::Malformed);
        assert!(matches!(
            read_verifying_key(&files.private),
            Err(IntegrityError::NotAKey { .. })
        ));
        assert!(matches!(
            read_signing_key(&files.public),
            Err(IntegrityError::NotAKey { .. })
        ));
    }
}
