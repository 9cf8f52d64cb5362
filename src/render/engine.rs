//! Template engines behind one trait. The render code builds one context (plain
//! serialisable data) per page; a theme's theme.toml picks the engine that renders it:
//! MiniJinja for the site's themes, Tera for the print theme (DESIGN 5.4). Keeping the
//! engines behind [`ThemeEngine`] means a page's context is never engine-specific.

use minijinja::{AutoEscape, Environment, UndefinedBehavior};

/// A template failure, whichever engine raised it, in the terms a diagnostic needs.
#[derive(Debug, Clone)]
pub struct TemplateError {
    /// The template the failure is in, when the engine knows it (it may be an included
    /// or parent template rather than the one asked for).
    pub template: Option<String>,
    /// 1-based line in that template.
    pub line: Option<usize>,
    /// What went wrong.
    pub message: String,
}

/// What a theme needs from a template engine: compiled templates that render one
/// shared context. Engines are shared by the parallel page renderer, hence `Sync`.
pub trait ThemeEngine: Send + Sync {
    /// Compiles `source` as template `name`.
    fn add_template(&mut self, name: &str, source: String) -> Result<(), TemplateError>;
    /// Renders template `name` with the page's context.
    fn render(&self, name: &str, ctx: &minijinja::Value) -> Result<String, TemplateError>;
    /// Whether a template of that name was added.
    fn has_template(&self, name: &str) -> bool;
}

/// Which engine a theme.toml names (`engine = "minijinja"` when it names none).
pub fn by_name(name: &str) -> Option<Box<dyn ThemeEngine>> {
    match name {
        "minijinja" => Some(Box::new(MiniJinja::new())),
        "tera" => Some(Box::new(Tera::new())),
        _ => None,
    }
}

/// The themes' engine.
pub struct MiniJinja {
    env: Environment<'static>,
}

impl MiniJinja {
    fn new() -> MiniJinja {
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
        MiniJinja { env }
    }
}

fn minijinja_error(e: &minijinja::Error) -> TemplateError {
    TemplateError {
        template: e.name().map(str::to_owned),
        line: e.line(),
        message: e
            .detail()
            .map_or_else(|| e.kind().to_string(), str::to_owned),
    }
}

impl ThemeEngine for MiniJinja {
    fn add_template(&mut self, name: &str, source: String) -> Result<(), TemplateError> {
        self.env
            .add_template_owned(name.to_owned(), source)
            .map_err(|e| minijinja_error(&e))
    }

    fn render(&self, name: &str, ctx: &minijinja::Value) -> Result<String, TemplateError> {
        self.env
            .get_template(name)
            .and_then(|t| t.render(ctx))
            .map_err(|e| minijinja_error(&e))
    }

    fn has_template(&self, name: &str) -> bool {
        self.env.get_template(name).is_ok()
    }
}

/// The print theme's engine (Tera 2). It takes the same context as MiniJinja: the
/// context is serialised into Tera's values, so a template sees the same fields.
pub struct Tera {
    tera: tera::Tera,
}

impl Tera {
    fn new() -> Tera {
        let mut tera = tera::Tera::new();
        // Same rule as MiniJinja: HTML templates escape everything not marked safe.
        tera.autoescape_on([".html", ".xml"]);
        Tera { tera }
    }
}

fn tera_error(e: &tera::Error) -> TemplateError {
    match e.kind() {
        tera::ErrorKind::SyntaxError(r) | tera::ErrorKind::RenderingError(r) => TemplateError {
            template: Some(r.filename().to_owned()).filter(|f| !f.is_empty()),
            line: Some(r.span().start_line),
            message: r.message().to_owned(),
        },
        _ => {
            // The outermost message is often "failed to render X"; the cause says why.
            let mut message = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(s) = source {
                message = format!("{message}: {s}");
                source = s.source();
            }
            TemplateError {
                template: None,
                line: None,
                message,
            }
        }
    }
}

impl ThemeEngine for Tera {
    fn add_template(&mut self, name: &str, source: String) -> Result<(), TemplateError> {
        self.tera
            .add_raw_template(name, &source)
            .map_err(|e| tera_error(&e))
    }

    fn render(&self, name: &str, ctx: &minijinja::Value) -> Result<String, TemplateError> {
        let ctx = tera::Context::from_serialize(ctx).map_err(|e| tera_error(&e))?;
        self.tera.render(name, &ctx).map_err(|e| tera_error(&e))
    }

    fn has_template(&self, name: &str) -> bool {
        self.tera.contains_template(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use minijinja::context;

    /// Both engines render one context the same way, escaping what is not marked safe.
    #[test]
    fn both_engines_render_the_same_context_and_escape_it() {
        let ctx = context! {
            page => context! { title => "<b>Q3</b> & co", items => vec!["a/b", "c"] },
        };
        let src = "{{ page.title }}|{% for i in page.items %}{{ i }};{% endfor %}";
        let mut outs = Vec::new();
        for name in ["minijinja", "tera"] {
            let mut e = by_name(name).unwrap();
            e.add_template("t.html", src.to_owned()).unwrap();
            assert!(e.has_template("t.html"));
            assert!(!e.has_template("nope.html"));
            outs.push(e.render("t.html", &ctx).unwrap());
        }
        assert_eq!(outs[0], "&lt;b&gt;Q3&lt;/b&gt; &amp; co|a/b;c;");
        assert_eq!(outs[1], outs[0]);
    }

    #[test]
    fn tera_syntax_error_names_the_line() {
        let mut e = by_name("tera").unwrap();
        let err = e
            .add_template("p.html", "ok\n{% if %}\n".to_owned())
            .unwrap_err();
        assert_eq!(err.line, Some(2), "{err:?}");
    }

    #[test]
    fn unknown_engine_is_none() {
        assert!(by_name("handlebars").is_none());
    }
}
