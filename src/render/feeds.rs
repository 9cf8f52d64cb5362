//! sitemap.xml and atom.xml. Both need absolute URLs (the sitemaps protocol and RFC 4287
//! both require them), so they are written only when site.toml sets `base_url`.

use std::fmt::Write as _;

/// Most URLs one sitemap file may list (sitemaps.org); past it, sitemap.xml becomes a
/// sitemap index of `sitemap-N.xml` files.
pub(crate) const SITEMAP_LIMIT: usize = 50_000;

/// How many of the most recently updated items the feed carries.
pub(crate) const FEED_ENTRIES: usize = 50;

/// Escapes text for XML content and attribute values.
pub(crate) fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0 at all.
            c if c.is_control() && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// The absolute URL of a site-relative folder URL.
pub(crate) fn absolute(base_url: &str, url: &str) -> String {
    format!("{}/{url}", base_url.trim_end_matches('/'))
}

/// The sitemap files for the site-relative page URLs `urls` (sorted by the caller).
pub(crate) fn sitemaps(base_url: &str, urls: &[String]) -> Vec<(String, String)> {
    let one = |urls: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
        );
        for u in urls {
            let _ = writeln!(
                xml,
                "  <url><loc>{}</loc></url>",
                xml_escape(&absolute(base_url, u))
            );
        }
        xml.push_str("</urlset>\n");
        xml
    };
    if urls.len() <= SITEMAP_LIMIT {
        return vec![("sitemap.xml".to_owned(), one(urls))];
    }
    let mut files = Vec::new();
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (n, chunk) in urls.chunks(SITEMAP_LIMIT).enumerate() {
        let name = format!("sitemap-{}.xml", n + 1);
        let _ = writeln!(
            index,
            "  <sitemap><loc>{}</loc></sitemap>",
            xml_escape(&absolute(base_url, &name))
        );
        files.push((name, one(chunk)));
    }
    index.push_str("</sitemapindex>\n");
    files.push(("sitemap.xml".to_owned(), index));
    files
}

/// One entry of the feed.
pub(crate) struct FeedEntry<'a> {
    /// Title.
    pub(crate) title: &'a str,
    /// Site-relative URL.
    pub(crate) url: String,
    /// The `updated` date.
    pub(crate) updated: jiff::civil::Date,
    /// The kind's label.
    pub(crate) kind: &'static str,
    /// Owner, when given.
    pub(crate) owner: Option<&'a str>,
}

/// The Atom feed of the newest [`FEED_ENTRIES`] of `entries`. Its `updated` is the newest
/// entry's date, not the build time, so identical sources build identical files.
pub(crate) fn atom(title: &str, base_url: &str, mut entries: Vec<FeedEntry<'_>>) -> String {
    entries.sort_by(|a, b| b.updated.cmp(&a.updated).then_with(|| a.url.cmp(&b.url)));
    entries.truncate(FEED_ENTRIES);
    let stamp = |d: jiff::civil::Date| format!("{d}T00:00:00Z");
    let newest = entries
        .first()
        .map_or_else(|| "1970-01-01T00:00:00Z".to_owned(), |e| stamp(e.updated));
    let home = absolute(base_url, "");
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n",
    );
    let _ = writeln!(xml, "  <title>{}</title>", xml_escape(title));
    let _ = writeln!(xml, "  <id>{}</id>", xml_escape(&home));
    let _ = writeln!(xml, "  <link href=\"{}\"/>", xml_escape(&home));
    let _ = writeln!(
        xml,
        "  <link rel=\"self\" href=\"{}\"/>",
        xml_escape(&absolute(base_url, "atom.xml"))
    );
    let _ = writeln!(xml, "  <updated>{newest}</updated>");
    let _ = writeln!(xml, "  <author><name>{}</name></author>", xml_escape(title));
    xml.push_str("  <generator>Evidentia</generator>\n");
    for e in &entries {
        let link = absolute(base_url, &e.url);
        let summary = match e.owner {
            Some(o) => format!("{}, owned by {o}, updated {}", e.kind, e.updated),
            None => format!("{}, updated {}", e.kind, e.updated),
        };
        let _ = write!(
            xml,
            "  <entry>\n    <title>{}</title>\n    <id>{}</id>\n    <link href=\"{}\"/>\n    <updated>{}</updated>\n    <category term=\"{}\"/>\n    <summary>{}</summary>\n  </entry>\n",
            xml_escape(e.title),
            xml_escape(&link),
            xml_escape(&link),
            stamp(e.updated),
            xml_escape(e.kind),
            xml_escape(&summary),
        );
    }
    xml.push_str("</feed>\n");
    xml
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_control_characters() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn large_sites_get_a_sitemap_index() {
        let urls: Vec<String> = (0..SITEMAP_LIMIT + 1).map(|n| format!("p{n}/")).collect();
        let files = sitemaps("https://x.test/site/", &urls);
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["sitemap-1.xml", "sitemap-2.xml", "sitemap.xml"]);
        assert!(
            files[2]
                .1
                .contains("<loc>https://x.test/site/sitemap-2.xml</loc>")
        );
        assert!(
            files[1]
                .1
                .contains("<loc>https://x.test/site/p50000/</loc>")
        );
    }
}
