//! Plain text for the index, from HTML the renderer already made (a page's Markdown)
//! or from the model, in one pass without an HTML parser.

/// The text of an HTML fragment: tags dropped (block-level ones leave a space so words
/// do not run together), the common entities decoded, whitespace collapsed.
pub fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len() / 2);
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt]);
        match rest[lt..].find('>') {
            Some(gt) => {
                push_space(&mut out);
                rest = &rest[lt + gt + 1..];
            }
            None => {
                rest = "";
            }
        }
    }
    push_text(&mut out, rest);
    out.trim_end().to_owned()
}

fn push_space(out: &mut String) {
    if !out.is_empty() && !out.ends_with(' ') {
        out.push(' ');
    }
}

fn push_text(out: &mut String, text: &str) {
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        push_words(out, &rest[..amp]);
        let after = &rest[amp..];
        let entity = after.find(';').filter(|&i| i <= 8).map(|i| &after[..=i]);
        let decoded = match entity {
            Some("&amp;") => Some('&'),
            Some("&lt;") => Some('<'),
            Some("&gt;") => Some('>'),
            Some("&quot;") => Some('"'),
            Some("&#39;" | "&#x27;" | "&apos;") => Some('\''),
            Some("&nbsp;") => Some(' '),
            _ => None,
        };
        match (decoded, entity) {
            (Some(c), Some(e)) => {
                push_words(out, c.encode_utf8(&mut [0; 4]));
                rest = &after[e.len()..];
            }
            _ => {
                push_words(out, "&");
                rest = &after[1..];
            }
        }
    }
    push_words(out, rest);
}

fn push_words(out: &mut String, text: &str) {
    for c in text.chars() {
        if c.is_whitespace() {
            push_space(out);
        } else {
            out.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::strip_tags;

    #[test]
    fn tags_dropped_and_entities_decoded() {
        assert_eq!(
            strip_tags("<h1>Threat &amp; risk</h1>\n<p>a <em>b</em>&lt;c&gt;</p>"),
            "Threat & risk a b <c>"
        );
        assert_eq!(strip_tags("<p>x</p><p>y</p>"), "x y");
        assert_eq!(strip_tags("AT&T &unknown; <br"), "AT&T &unknown;");
    }
}
