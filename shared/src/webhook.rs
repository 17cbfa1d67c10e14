//! Where a shop's webhook may point. URLs are parsed by the `url` crate under the WHATWG URL
//! Standard, the way `fetch` will read them, so every spelling of a host (`2130706433`,
//! `0x7f.1`, `127.1`, `127.0.0.1.`, `localhost.`, percent-encoded names) is judged as the
//! address it really is, not as the text it was written as.

use std::net::Ipv4Addr;
use url::{Host, Url};

/// Longest webhook URL accepted.
pub const MAX_WEBHOOK_URL: usize = 2048;

/// Whether an IPv4 address is not on the public internet: loopback, private, link-local,
/// shared (CGNAT), "this network", benchmarking, documentation, multicast, reserved, broadcast.
fn private_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    ip.is_loopback()
        || ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || a == 0
        || a >= 240
        || (a == 100 && (64..128).contains(&b))
        || (a == 192 && b == 0 && c == 0)
        || (a == 198 && (18..20).contains(&b))
}

/// Checks a webhook URL: `https` to a public host name or address. Loopback and private
/// addresses (and plain `http`) pass only with `allow_private`, which only local development
/// sets. Checked when the URL is saved and again before every delivery.
///
/// # Errors
/// A message naming the URL.
pub fn check_webhook_url(raw: &str, allow_private: bool) -> Result<(), String> {
    let bad = |why: &str| Err(format!("webhook URL {raw:?} {why}"));
    if raw.len() > MAX_WEBHOOK_URL {
        return bad("is too long");
    }
    let Ok(url) = Url::parse(raw.trim()) else {
        return bad("is not a valid absolute URL");
    };
    if !url.username().is_empty() || url.password().is_some() {
        return bad("may not carry a user name or password");
    }
    let private = match url.host() {
        None => return bad("has no host"),
        Some(Host::Ipv4(ip)) => private_v4(ip),
        // Every IPv6 literal (loopback, ULA, link-local, IPv4-mapped...) is refused: a shop's
        // receiver has a name.
        Some(Host::Ipv6(_)) => true,
        Some(Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name.is_empty()
                || name == "localhost"
                || [".localhost", ".local", ".internal", ".home.arpa"]
                    .iter()
                    .any(|s| name.ends_with(s))
                || !name.contains('.')
        }
    };
    match (url.scheme(), private, allow_private) {
        ("https" | "http", true, false) => bad("points at a private or loopback address"),
        ("https", _, _) => Ok(()),
        ("http", true, true) => Ok(()),
        ("http", false, _) => bad("must use https"),
        _ => bad("must be an https URL"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn webhook_urls_must_be_public_https_unless_local_development() {
        assert!(check_webhook_url("https://hooks.shop.example.tw/alliance", false).is_ok());
        assert!(check_webhook_url("https://8.8.8.8/hook", false).is_ok());
        for bad in [
            "http://hooks.shop.tw/x",
            "https://127.0.0.1/x",
            "https://10.0.0.5/x",
            "https://192.168.1.2:8443/x",
            "https://localhost/x",
            "https://[::1]/x",
            "https://[::ffff:7f00:1]/x",
            "https://169.254.169.254/latest",
            "https://user@x.tw/",
            "https://user:pw@x.tw/",
            "ftp://x.tw/",
            "not a url",
            "https:///path",
        ] {
            assert!(check_webhook_url(bad, false).is_err(), "{bad}");
        }
        assert!(check_webhook_url("http://127.0.0.1:9999/hook", true).is_ok());
    }

    #[test]
    fn every_spelling_of_a_loopback_or_private_host_is_refused() {
        for bad in [
            "https://2130706433/",
            "https://0x7f.1/",
            "https://0x7f000001/",
            "https://0177.0.0.1/",
            "https://127.1/",
            "https://127.0.0.1./",
            "https://localhost./",
            "https://LOCALHOST/",
            "https://%6c%6f%63%61%6c%68%6f%73%74/",
            "https://%31%32%37.0.0.1/",
            "https://printer.local/",
            "https://metadata.google.internal/",
            "https://intranet/",
            "https://100.64.0.1/",
            "https://0.0.0.0/",
            "https://[fe80::1]/",
            "https://[fc00::1]/",
        ] {
            let err = check_webhook_url(bad, false).expect_err(bad);
            assert!(err.contains("private or loopback"), "{bad}: {err}");
        }
    }
}
