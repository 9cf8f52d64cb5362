//! Check: finds what is wrong with a modelled site (references, attachments, clashing
//! URLs). Checks read the model and return diagnostics; they never change the model.

mod attachments;
mod catalogs;
mod dates;
mod item_refs;
mod packets;
mod policy;
mod refs;
mod urls;

use crate::diag::Diagnostic;
use crate::model::Site;

/// Runs every check. `today` fixes the date expiry and cadence checks compare against.
pub fn check(site: &Site, today: jiff::civil::Date) -> Vec<Diagnostic> {
    use rayon::prelude::*;
    type Rule<'a> = &'a (dyn Fn() -> Vec<Diagnostic> + Sync);
    // The rules read the site and nothing else: they run side by side, and their
    // findings come out in this order whatever the thread count.
    let rules: [Rule<'_>; 8] = [
        &|| refs::check_wiki_links(site),
        &|| item_refs::check(site),
        &|| catalogs::check(site),
        &|| packets::check(site),
        &|| policy::check(site, today),
        &|| dates::check(site, today),
        &|| attachments::check(site),
        &|| urls::check(site),
    ];
    rules.par_iter().flat_map_iter(|rule| rule()).collect()
}
