//! Rubric expressions (`expr:` checks, DESIGN 3.6): MiniJinja expressions evaluated
//! against one evidence item. Rubrics are written by faculty but run on every learner's
//! evidence in CI, so evaluation is sandboxed: the environment has no loader, no custom
//! functions (so no file or network access), a fuel budget that bounds both the work and
//! the memory an expression may use, and a shallow recursion limit.

use minijinja::{Environment, UndefinedBehavior, Value};
use std::sync::OnceLock;

/// The work and memory one evaluation may use (MiniJinja charges about 64 bytes of memory
/// per unit, so this is a few megabytes and well under a millisecond of work).
const FUEL: u64 = 50_000;

/// Why an expression could not be compiled or evaluated.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ExprError {
    /// What went wrong, in MiniJinja's words.
    pub message: String,
    /// The byte range in the expression it concerns, when known.
    pub range: Option<std::ops::Range<usize>>,
}

impl From<minijinja::Error> for ExprError {
    fn from(e: minijinja::Error) -> Self {
        let message = match e.detail() {
            Some(detail) => format!("{}: {detail}", e.kind()),
            None => e.kind().to_string(),
        };
        ExprError {
            message,
            range: e.range(),
        }
    }
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        // `item.review.reviewed_on` on an item without a review is undefined, not an
        // error: a missing section fails the check instead of breaking it.
        env.set_undefined_behavior(UndefinedBehavior::Chainable);
        env.set_fuel(Some(FUEL));
        env.set_recursion_limit(64);
        env
    })
}

/// Compiles `source`, so that a broken expression is reported when the rubric is read.
pub fn compile(source: &str) -> Result<(), ExprError> {
    env().compile_expression(source)?;
    Ok(())
}

/// Evaluates `source` with `item` (the item as `evidentia show` prints it) and `today`
/// (YYYY-MM-DD) in scope; the result's truthiness is the check's outcome.
pub fn evaluate(source: &str, item: &serde_json::Value, today: &str) -> Result<bool, ExprError> {
    let expr = env().compile_expression(source)?;
    let value = expr.eval(minijinja::context! {
        item => Value::from(minijinja::value::Serde(item)),
        today => today,
    })?;
    Ok(value.is_true())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn evaluates_against_the_item() {
        let item = json!({"threats": [{"atlas": ["AML.T0020"]}, {"atlas": []}, {}]});
        assert_eq!(
            evaluate(
                r#"item.threats | selectattr("atlas") | list | length >= 1"#,
                &item,
                "2026-11-27"
            ),
            Ok(true)
        );
        assert_eq!(evaluate("item.threats | length > 3", &item, "x"), Ok(false));
        assert_eq!(
            evaluate(r#"today == "2026-11-27""#, &item, "2026-11-27"),
            Ok(true)
        );
    }

    #[test]
    fn missing_sections_are_false_not_errors() {
        let item = json!({});
        assert_eq!(
            evaluate(
                "item.explainability.global_importance | length >= 5",
                &item,
                "x"
            ),
            Ok(false)
        );
    }

    #[test]
    fn broken_expressions_say_where() {
        let e = compile("item.threats | length >=").unwrap_err();
        assert!(e.message.contains("syntax error"), "{e:?}");
        assert!(compile("item.threats | length >= 3").is_ok());
    }

    #[test]
    fn runaway_expressions_run_out_of_fuel() {
        let item = json!({});
        for source in [
            "range(100000) | map('string') | join(',') | length > 0",
            "'x' * 100000000 | length > 0",
            "range(10000) | map('string') | list | join('-') * 1000 | length > 0",
        ] {
            let e = evaluate(source, &item, "x");
            assert!(e.is_err(), "{source} must be refused: {e:?}");
        }
    }

    #[test]
    fn no_way_out_of_the_sandbox() {
        let item = json!({});
        for source in [
            "include('/etc/passwd')",
            "self._TemplateReference__context",
            "env",
        ] {
            assert_ne!(evaluate(source, &item, "x"), Ok(true), "{source}");
        }
    }
}
