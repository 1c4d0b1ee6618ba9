//! Reports: documents whose content is edited in place, one statement per edit.

mod edit_report_content;

pub use edit_report_content::*;
