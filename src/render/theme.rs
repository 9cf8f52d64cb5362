//! Themes: MiniJinja templates and static files. The default theme is compiled into the
//! binary (so a site without a themes/ folder builds); a site's own themes/NAME wins.

use crate::diag::Diagnostic;
use minijinja::{AutoEscape, Environment, UndefinedBehavior};
use std::borrow::Cow;
use std::path::Path;

/// The default theme's files, embedded at compile time (paths relative to the theme).
pub(crate) const DEFAULT_FILES: &[(&str, &[u8])] = &[
    (
        "theme.toml",
        include_bytes!("../../themes/default/theme.toml"),
    ),
    (
        "templates/base.html",
        include_bytes!("../../themes/default/templates/base.html"),
    ),
    (
        "templates/macros.html",
        include_bytes!("../../themes/default/templates/macros.html"),
    ),
    (
        "templates/learner.html",
        include_bytes!("../../themes/default/templates/learner.html"),
    ),
    (
        "templates/packets.html",
        include_bytes!("../../themes/default/templates/packets.html"),
    ),
    (
        "templates/controls.html",
        include_bytes!("../../themes/default/templates/controls.html"),
    ),
    (
        "templates/control.html",
        include_bytes!("../../themes/default/templates/control.html"),
    ),
    (
        "templates/coverage.html",
        include_bytes!("../../themes/default/templates/coverage.html"),
    ),
    (
        "templates/index.html",
        include_bytes!("../../themes/default/templates/index.html"),
    ),
    (
        "templates/page.html",
        include_bytes!("../../themes/default/templates/page.html"),
    ),
    (
        "templates/item.html",
        include_bytes!("../../themes/default/templates/item.html"),
    ),
    (
        "templates/list.html",
        include_bytes!("../../themes/default/templates/list.html"),
    ),
    (
        "templates/404.html",
        include_bytes!("../../themes/default/templates/404.html"),
    ),
    (
        "templates/backlog.html",
        include_bytes!("../../themes/default/templates/backlog.html"),
    ),
    (
        "templates/kinds/threat-model.html",
        include_bytes!("../../themes/default/templates/kinds/threat-model.html"),
    ),
    (
        "templates/kinds/scan.html",
        include_bytes!("../../themes/default/templates/kinds/scan.html"),
    ),
    (
        "templates/kinds/sbom.html",
        include_bytes!("../../themes/default/templates/kinds/sbom.html"),
    ),
    (
        "templates/kinds/exception.html",
        include_bytes!("../../themes/default/templates/kinds/exception.html"),
    ),
    (
        "templates/kinds/fairness.html",
        include_bytes!("../../themes/default/templates/kinds/fairness.html"),
    ),
    (
        "templates/kinds/tabletop.html",
        include_bytes!("../../themes/default/templates/kinds/tabletop.html"),
    ),
    (
        "templates/kinds/portfolio.html",
        include_bytes!("../../themes/default/templates/kinds/portfolio.html"),
    ),
    (
        "templates/kinds/rubric.html",
        include_bytes!("../../themes/default/templates/kinds/rubric.html"),
    ),
    (
        "templates/kinds/packet.html",
        include_bytes!("../../themes/default/templates/kinds/packet.html"),
    ),
    (
        "templates/kinds/catalog.html",
        include_bytes!("../../themes/default/templates/kinds/catalog.html"),
    ),
    (
        "templates/kinds/module.html",
        include_bytes!("../../themes/default/templates/kinds/module.html"),
    ),
    (
        "static/style.css",
        include_bytes!("../../themes/default/static/style.css"),
    ),
    (
        "templates/problems.html",
        include_bytes!("../../themes/default/templates/problems.html"),
    ),
    (
        "templates/tags.html",
        include_bytes!("../../themes/default/templates/tags.html"),
    ),
    (
        "templates/tag.html",
        include_bytes!("../../themes/default/templates/tag.html"),
    ),
    (
        "templates/search.html",
        include_bytes!("../../themes/default/templates/search.html"),
    ),
    (
        "static/search.js",
        include_bytes!("../../themes/default/static/search.js"),
    ),
];

/// A loaded theme: compiled templates plus the static files to copy into `static/`.
pub struct Theme {
    env: Environment<'static>,
    /// Static files, path relative to the theme's static/ folder.
    pub statics: Vec<(String, Cow<'static, [u8]>)>,
    /// Digests of the theme's files when it was read from the site's themes/ folder
    /// (paths relative to the site root); empty for the built-in theme, which the tool's
    /// version identifies.
    pub inputs: Vec<crate::integrity::FileDigest>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .finish()
    }
}

impl Theme {
    /// Loads theme `name` from `root/themes/NAME`, or the built-in `default`.
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let dir = root.join("themes").join(name);
        let mut inputs = Vec::new();
        let files: Vec<(String, Cow<'static, [u8]>)> = if dir.is_dir() {
            let files = read_dir_files(&dir).map_err(|e| {
                vec![Diagnostic::error(
                    "E0108",
                    format!("themes/{name}"),
                    format!("cannot read the theme: {e}"),
                )]
            })?;
            inputs = files
                .iter()
                .map(|(p, b)| {
                    crate::integrity::FileDigest::of_bytes(format!("themes/{name}/{p}"), b)
                })
                .collect();
            files
        } else if name == "default" {
            DEFAULT_FILES
                .iter()
                .map(|(p, b)| ((*p).to_owned(), Cow::Borrowed(*b)))
                .collect()
        } else {
            return Err(vec![
                Diagnostic::error(
                    "E0109",
                    crate::config::FILE,
                    format!("theme `{name}` not found: there is no themes/{name}/ folder"),
                )
                .with_path("theme")
                .with_help(
                    "create themes/NAME/templates/, or use the built-in theme: theme = \"default\"",
                ),
            ]);
        };
        let mut theme = Theme::from_files(name, files)?;
        theme.inputs = inputs;
        Ok(theme)
    }

    fn from_files(
        name: &str,
        files: Vec<(String, Cow<'static, [u8]>)>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut env = Environment::new();
        env.set_undefined_behavior(UndefinedBehavior::SemiStrict);
        env.set_auto_escape_callback(|name| {
            if name.ends_with(".html") || name.ends_with(".xml") {
                AutoEscape::Html
            } else {
                AutoEscape::None
            }
        });
        env.set_fuel(Some(50_000_000));
        // MiniJinja's HTML escaping also escapes `/`, which is safe but turns every
        // relative URL into `..&#x2f;`; escape only what HTML needs.
        env.set_formatter(|out, state, value| {
            if !matches!(state.auto_escape(), AutoEscape::Html)
                || value.is_safe()
                || value.is_none()
                || value.is_undefined()
            {
                return minijinja::escape_formatter(out, state, value);
            }
            let text = value.to_string();
            out.write_str(&super::highlight::escape(&text))
                .map_err(|e| {
                    minijinja::Error::new(minijinja::ErrorKind::WriteFailure, e.to_string())
                })
        });
        let mut diags = Vec::new();
        let mut statics = Vec::new();
        for (path, bytes) in files {
            if let Some(tpl) = path.strip_prefix("templates/") {
                let file = format!("themes/{name}/{path}");
                match String::from_utf8(bytes.into_owned()) {
                    Ok(text) => {
                        if let Err(e) = env.add_template_owned(tpl.to_owned(), text) {
                            diags.push(template_error(&file, &e));
                        }
                    }
                    Err(_) => diags.push(Diagnostic::error(
                        "E0102",
                        file,
                        "template is not UTF-8 text",
                    )),
                }
            } else if let Some(s) = path.strip_prefix("static/") {
                statics.push((s.to_owned(), bytes));
            }
        }
        for required in [
            "base.html",
            "index.html",
            "page.html",
            "item.html",
            "list.html",
        ] {
            if env.get_template(required).is_err()
                && !diags.iter().any(|d| d.file.ends_with(required))
            {
                diags.push(
                    Diagnostic::error(
                        "E0108",
                        format!("themes/{name}/templates"),
                        format!("the theme has no `{required}` template"),
                    )
                    .with_help("a theme needs base, index, page, item and list templates"),
                );
            }
        }
        if diags.is_empty() {
            statics.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(Theme {
                env,
                statics,
                inputs: Vec::new(),
            })
        } else {
            Err(diags)
        }
    }

    /// Renders `template` with `ctx`.
    pub fn render(
        &self,
        template: &str,
        ctx: minijinja::Value,
    ) -> Result<String, minijinja::Error> {
        self.env.get_template(template)?.render(ctx)
    }

    /// Whether the theme has a template of that name (for a page's `template` setting).
    pub fn has_template(&self, template: &str) -> bool {
        self.env.get_template(template).is_ok()
    }
}

/// A template failure as a diagnostic at the template's file and line.
pub fn template_error(file: &str, e: &minijinja::Error) -> Diagnostic {
    let mut d = Diagnostic::error(
        "E0108",
        file,
        format!(
            "template error: {}",
            e.detail().unwrap_or(&e.kind().to_string())
        ),
    );
    if let Some(line) = e.line() {
        d = d.at(crate::diag::Pos::new(
            u32::try_from(line).unwrap_or(u32::MAX),
            1,
        ));
    }
    d.with_help("fix the template; the built-in theme is used when the site has no themes/ folder")
}

fn read_dir_files(dir: &Path) -> std::io::Result<Vec<(String, Cow<'static, [u8]>)>> {
    let mut out = Vec::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = crate::load::relative(dir, entry.path());
            if rel.split('/').any(|s| s.starts_with('.')) {
                continue;
            }
            out.push((rel, Cow::Owned(std::fs::read(entry.path())?)));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_default_theme_lists_every_file_on_disk() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default");
        let on_disk: Vec<String> = read_dir_files(&dir)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let mut embedded: Vec<String> =
            DEFAULT_FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(on_disk, embedded, "add new theme files to DEFAULT_FILES");
    }

    #[test]
    fn default_theme_compiles() {
        let root = tempfile::tempdir().unwrap();
        Theme::load(root.path(), "default").unwrap();
    }

    #[test]
    fn missing_theme_is_a_diagnostic() {
        let root = tempfile::tempdir().unwrap();
        let d = Theme::load(root.path(), "nope").unwrap_err();
        assert_eq!(d[0].code, "E0109");
    }

    #[test]
    fn broken_template_names_file_and_line() {
        let files = vec![(
            "templates/base.html".to_owned(),
            Cow::Borrowed(&b"ok\n{% if %}\n"[..]),
        )];
        let d = Theme::from_files("t", files).unwrap_err();
        assert_eq!(d[0].code, "E0108");
        assert_eq!(d[0].file, "themes/t/templates/base.html");
        assert_eq!(d[0].line, 2);
    }
}
