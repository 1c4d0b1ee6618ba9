//! Replace an organization's color palettes.

use std::collections::HashSet;

use crate::schema::{ColorPalette, ColorPalettes, Organization};
use crate::validate::{self, MAX_TEXT};
use buster_db::{Error, Executor, Json, Result, Table, Uuid};

/// The most palettes an organization keeps.
const MAX_PALETTES: usize = 100;
/// The most colors in one palette.
const MAX_COLORS: usize = 100;
/// The longest CSS color string accepted.
const MAX_COLOR: usize = 64;

/// Input of [`update_organization_color_palettes`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpdateOrganizationColorPalettesParams {
    /// The organization.
    pub organization_id: Uuid,
    /// The new value, replacing the old one whole.
    pub palettes: ColorPalettes,
}

impl UpdateOrganizationColorPalettesParams {
    /// Checks the palettes: at most 100; each with a distinct, non-blank id of at most 255
    /// characters, a name (if any) of 1 to 255 characters, and 1 to 100 non-blank colors of at
    /// most 64 characters. `selected_id`, if set, must not be blank. The dictionary palette
    /// follows the same rules except that its id need not be distinct.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `palettes`,
    /// `selected_id` or `selected_dictionary_palette`.
    pub fn validate(&self) -> Result<()> {
        let p = &self.palettes;
        if p.palettes.len() > MAX_PALETTES {
            return Err(Error::validation(
                "palettes",
                format!("must hold at most {MAX_PALETTES} palettes"),
            ));
        }
        let mut ids = HashSet::new();
        for (i, palette) in p.palettes.iter().enumerate() {
            palette_ok(palette)
                .map_err(|why| Error::validation("palettes", format!("palette {i}: {why}")))?;
            if !ids.insert(palette.id.as_str()) {
                return Err(Error::validation(
                    "palettes",
                    format!("palette {i}: id `{}` is used twice", palette.id),
                ));
            }
        }
        validate::optional_text("selected_id", p.selected_id.as_deref(), MAX_TEXT)?;
        if let Some(d) = &p.selected_dictionary_palette {
            palette_ok(d).map_err(|why| Error::validation("selected_dictionary_palette", why))?;
        }
        Ok(())
    }
}

fn palette_ok(p: &ColorPalette) -> std::result::Result<(), String> {
    let text_ok = |s: &str, max: usize| !s.trim().is_empty() && s.chars().count() <= max;
    if !text_ok(&p.id, MAX_TEXT) {
        return Err(format!("the id must be 1 to {MAX_TEXT} characters long"));
    }
    if p.name.as_deref().is_some_and(|n| !text_ok(n, MAX_TEXT)) {
        return Err(format!("the name must be 1 to {MAX_TEXT} characters long"));
    }
    if validate::non_empty("colors", &p.colors).is_err() || p.colors.len() > MAX_COLORS {
        return Err(format!("must have 1 to {MAX_COLORS} colors"));
    }
    if !p.colors.iter().all(|c| text_ok(c, MAX_COLOR)) {
        return Err(format!(
            "each color must be 1 to {MAX_COLOR} characters long"
        ));
    }
    Ok(())
}

/// Replaces the color palettes (a jsonb column) of a live organization, returning it.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when there is no live organization with
/// this id; validation and database errors.
pub async fn update_organization_color_palettes<E: Executor + ?Sized>(
    params: UpdateOrganizationColorPalettesParams,
    exec: &E,
) -> Result<Organization> {
    params.validate()?;
    Organization::update(params.organization_id)
        .set(
            Organization::organization_color_palettes,
            Json(params.palettes),
        )
        .one(exec)
        .await
}
