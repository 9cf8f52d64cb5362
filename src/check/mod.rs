//! Check: finds what is wrong with a modelled site (references, attachments, clashing
//! URLs). Checks read the model and return diagnostics; they never change the model.

mod attachments;
mod catalogs;
mod item_refs;
mod packets;
mod policy;
mod refs;
mod urls;

pub use attachments::attachment_path;

use crate::diag::Diagnostic;
use crate::model::Site;

/// Runs every check. `today` fixes the date expiry and cadence checks compare against.
pub fn check(site: &Site, today: jiff::civil::Date) -> Vec<Diagnostic> {
    let mut diags = Vec::new();
    diags.extend(refs::check_wiki_links(site));
    diags.extend(item_refs::check(site));
    diags.extend(catalogs::check(site));
    diags.extend(packets::check(site));
    diags.extend(policy::check(site, today));
    diags.extend(attachments::check(site));
    diags.extend(urls::check(site));
    diags
}
