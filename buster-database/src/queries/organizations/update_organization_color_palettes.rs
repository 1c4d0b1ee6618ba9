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
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the field by its path:
    /// `palettes` (too many), `palettes[i].id`, `palettes[i].name`, `palettes[i].colors`,
    /// `palettes[i].colors[j]`, `selected_id`, or `selected_dictionary_palette.…`.
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
            let path = format!("palettes[{i}]");
            palette_ok(palette).map_err(|e| e.within(&path))?;
            if !ids.insert(palette.id.as_str()) {
                return Err(Error::validation(
                    format!("{path}.id"),
                    format!("`{}` is the id of an earlier palette", palette.id),
                ));
            }
        }
        validate::optional_text("selected_id", p.selected_id.as_deref(), MAX_TEXT)?;
        if let Some(d) = &p.selected_dictionary_palette {
            palette_ok(d).map_err(|e| e.within("selected_dictionary_palette"))?;
        }
        Ok(())
    }
}

/// One palette's fields, named relative to the palette (`id`, `name`, `colors[2]`); every text
/// is free of NUL characters, which `jsonb` cannot store.
fn palette_ok(p: &ColorPalette) -> Result<()> {
    validate::text("id", &p.id, MAX_TEXT)?;
    validate::optional_text("name", p.name.as_deref(), MAX_TEXT)?;
    validate::non_empty("colors", &p.colors)?;
    if p.colors.len() > MAX_COLORS {
        return Err(Error::validation(
            "colors",
            format!("must have at most {MAX_COLORS} colors"),
        ));
    }
    for (i, color) in p.colors.iter().enumerate() {
        validate::text(&format!("colors[{i}]"), color, MAX_COLOR)?;
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
