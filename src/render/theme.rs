//! Themes: templates (MiniJinja, or Tera where theme.toml says `engine = "tera"`) and
//! static files. The default and print themes are compiled into the binary (so a site
//! without a themes/ folder builds); a site's own themes/NAME wins.

use super::engine::{self, TemplateError, ThemeEngine};
use crate::diag::Diagnostic;
use std::borrow::Cow;
use std::path::Path;

/// The print theme's name: its folder under themes/, and where its static files go.
pub const PRINT_THEME: &str = "print";

/// The print theme's files, embedded at compile time like the default theme's.
pub(crate) const PRINT_FILES: &[(&str, &[u8])] = &[
    (
        "theme.toml",
        include_bytes!("../../themes/print/theme.toml"),
    ),
    (
        "templates/packet.html",
        include_bytes!("../../themes/print/templates/packet.html"),
    ),
    (
        "static/print.css",
        include_bytes!("../../themes/print/static/print.css"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/print/static/favicon.svg"),
    ),
];

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
        "static/print.css",
        include_bytes!("../../themes/default/static/print.css"),
    ),
    (
        "static/favicon.svg",
        include_bytes!("../../themes/default/static/favicon.svg"),
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
    engine: Box<dyn ThemeEngine>,
    /// Static files, path relative to the theme's static/ folder.
    pub statics: Vec<(String, Cow<'static, [u8]>)>,
    /// Digests of the theme's files when it was read from the site's themes/ folder
    /// (paths relative to the site root); empty for the built-in theme, which the tool's
    /// version identifies.
    pub inputs: Vec<crate::integrity::FileDigest>,
    /// The print theme rendered beside this one (one printable page per packet); its
    /// static files go to `static/print/`.
    pub print: Option<Box<Theme>>,
}

impl std::fmt::Debug for Theme {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Theme")
            .field("statics", &self.statics.len())
            .finish()
    }
}

impl Theme {
    /// Loads theme `name` from `root/themes/NAME`, or the built-in `default`, with the
    /// print theme beside it (the site's themes/print, or the built-in one).
    pub fn load(root: &Path, name: &str) -> Result<Theme, Vec<Diagnostic>> {
        let builtin = (name == "default").then_some(DEFAULT_FILES);
        let mut theme = Theme::load_one(root, name, builtin, MAIN_TEMPLATES)?;
        let print = Theme::load_one(root, PRINT_THEME, Some(PRINT_FILES), PRINT_TEMPLATES)?;
        theme.inputs.extend(print.inputs.iter().cloned());
        theme.print = Some(Box::new(print));
        Ok(theme)
    }

    fn load_one(
        root: &Path,
        name: &str,
        builtin: Option<&'static [(&'static str, &'static [u8])]>,
        required: &[&str],
    ) -> Result<Theme, Vec<Diagnostic>> {
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
        } else if let Some(files) = builtin {
            files
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
        let mut theme = Theme::from_files_requiring(name, files, required)?;
        theme.inputs = inputs;
        Ok(theme)
    }

    #[cfg(test)]
    fn from_files(
        name: &str,
        files: Vec<(String, Cow<'static, [u8]>)>,
    ) -> Result<Theme, Vec<Diagnostic>> {
        Theme::from_files_requiring(name, files, MAIN_TEMPLATES)
    }

    fn from_files_requiring(
        name: &str,
        files: Vec<(String, Cow<'static, [u8]>)>,
        required: &[&str],
    ) -> Result<Theme, Vec<Diagnostic>> {
        let mut engine = theme_engine(name, &files)?;
        let mut diags = Vec::new();
        let mut statics = Vec::new();
        for (path, bytes) in files {
            if let Some(tpl) = path.strip_prefix("templates/") {
                let file = format!("themes/{name}/{path}");
                match String::from_utf8(bytes.into_owned()) {
                    Ok(text) => {
                        if let Err(e) = engine.add_template(tpl, text) {
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
        for name_needed in required {
            if !engine.has_template(name_needed)
                && !diags.iter().any(|d| d.file.ends_with(name_needed))
            {
                diags.push(
                    Diagnostic::error(
                        "E0108",
                        format!("themes/{name}/templates"),
                        format!("the theme has no `{name_needed}` template"),
                    )
                    .with_help(format!(
                        "this theme needs the templates {}",
                        required.join(", ")
                    )),
                );
            }
        }
        if diags.is_empty() {
            statics.sort_by(|a, b| a.0.cmp(&b.0));
            Ok(Theme {
                engine,
                statics,
                inputs: Vec::new(),
                print: None,
            })
        } else {
            Err(diags)
        }
    }

    /// Renders `template` with `ctx`.
    pub fn render(&self, template: &str, ctx: minijinja::Value) -> Result<String, TemplateError> {
        self.engine.render(template, &ctx)
    }

    /// Whether the theme has a template of that name (for a page's `template` setting).
    pub fn has_template(&self, template: &str) -> bool {
        self.engine.has_template(template)
    }
}

/// The templates the site's theme must have.
const MAIN_TEMPLATES: &[&str] = &[
    "base.html",
    "index.html",
    "page.html",
    "item.html",
    "list.html",
];

/// The templates the print theme must have.
const PRINT_TEMPLATES: &[&str] = &["packet.html"];

/// The engine a theme's theme.toml names (`engine = "minijinja"` or `"tera"`).
fn theme_engine(
    name: &str,
    files: &[(String, Cow<'static, [u8]>)],
) -> Result<Box<dyn ThemeEngine>, Vec<Diagnostic>> {
    let file = format!("themes/{name}/theme.toml");
    let mut engine_name = "minijinja".to_owned();
    if let Some((_, bytes)) = files.iter().find(|(p, _)| p == "theme.toml") {
        let table: toml::Table = std::str::from_utf8(bytes)
            .map_err(|e| e.to_string())
            .and_then(|t| {
                t.parse()
                    .map_err(|e: toml::de::Error| e.message().to_owned())
            })
            .map_err(|e| {
                vec![
                    Diagnostic::error("E0108", &file, format!("theme.toml is not valid TOML: {e}"))
                        .with_help("fix theme.toml; it names the theme and its `engine`"),
                ]
            })?;
        match table.get("engine") {
            None => {}
            Some(toml::Value::String(s)) => s.clone_into(&mut engine_name),
            Some(_) => engine_name = String::new(),
        }
    }
    engine::by_name(&engine_name).ok_or_else(|| {
        vec![
            Diagnostic::error(
                "E0108",
                &file,
                format!("unknown template engine `{engine_name}`"),
            )
            .with_path("engine")
            .with_help("set engine = \"minijinja\" (the default) or engine = \"tera\""),
        ]
    })
}

/// A template failure as a diagnostic at the template's file and line.
pub fn template_error(file: &str, e: &TemplateError) -> Diagnostic {
    let mut d = Diagnostic::error("E0108", file, format!("template error: {}", e.message));
    if let Some(line) = e.line {
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
    fn embedded_print_theme_lists_every_file_on_disk() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/print");
        let on_disk: Vec<String> = read_dir_files(&dir)
            .unwrap()
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        let mut embedded: Vec<String> = PRINT_FILES.iter().map(|(p, _)| (*p).to_owned()).collect();
        embedded.sort();
        assert_eq!(
            on_disk, embedded,
            "add new print theme files to PRINT_FILES"
        );
    }

    #[test]
    fn unknown_engine_is_a_diagnostic() {
        let files = vec![(
            "theme.toml".to_owned(),
            Cow::Borrowed(&b"engine = \"handlebars\"\n"[..]),
        )];
        let d = Theme::from_files("t", files).unwrap_err();
        assert_eq!(d[0].file, "themes/t/theme.toml");
        assert!(d[0].message.contains("handlebars"), "{}", d[0].message);
    }

    /// The colour variables at the top of style.css, light and dark: every pair a page
    /// puts text on reaches WCAG AA (4.5:1).
    #[test]
    fn style_css_colour_pairs_meet_aa_contrast() {
        use syntect::highlighting::Color;
        let css = std::str::from_utf8(
            DEFAULT_FILES
                .iter()
                .find(|(p, _)| *p == "static/style.css")
                .unwrap()
                .1,
        )
        .unwrap();
        let vars = |block: &str| -> std::collections::BTreeMap<String, Color> {
            block
                .split(';')
                .filter_map(|decl| {
                    let (k, v) = decl.rsplit_once(':')?;
                    let k = k.trim().rsplit_once("--")?.1.to_owned();
                    let h = v.trim().strip_prefix('#')?;
                    let c = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
                    (h.len() == 6).then_some(())?;
                    Some((
                        k,
                        Color {
                            r: c(0)?,
                            g: c(2)?,
                            b: c(4)?,
                            a: 255,
                        },
                    ))
                })
                .collect()
        };
        let (light, rest) = css
            .split_once("@media (prefers-color-scheme: dark)")
            .unwrap();
        let dark_block = rest.split_once("}\n}").unwrap().0;
        let light = vars(light);
        let mut dark = light.clone();
        dark.extend(vars(dark_block));
        let mut pairs: Vec<(String, String)> = [
            ("fg", "bg"),
            ("fg", "panel"),
            ("muted", "bg"),
            ("muted", "panel"),
            ("accent", "bg"),
            ("accent", "panel"),
            ("accent-fg", "accent"),
            ("error", "bg"),
            ("warning", "bg"),
            ("fg", "warning-bg"),
            ("fg", "error-bg"),
            ("muted", "warning-bg"),
            ("muted", "error-bg"),
            ("accent", "error-bg"),
            ("accent", "warning-bg"),
        ]
        .iter()
        .map(|(a, b)| ((*a).to_owned(), (*b).to_owned()))
        .collect();
        for c in ["red", "orange", "amber", "green", "blue", "grey", "purple"] {
            pairs.push((format!("{c}-fg"), format!("{c}-bg")));
            pairs.push((format!("{c}-fg"), "bg".to_owned()));
        }
        for (scheme, v) in [("light", &light), ("dark", &dark)] {
            for (a, b) in &pairs {
                let (fa, fb) = (v[a.as_str()], v[b.as_str()]);
                let r = crate::render::highlight::contrast(fa, fb);
                assert!(r >= 4.5, "{scheme}: --{a} on --{b} is {r:.2}:1");
            }
        }
    }

    #[test]
    fn default_theme_compiles() {
        let root = tempfile::tempdir().unwrap();
        let theme = Theme::load(root.path(), "default").unwrap();
        let print = theme
            .print
            .expect("the print theme loads beside the default theme");
        assert!(print.has_template("packet.html"));
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
