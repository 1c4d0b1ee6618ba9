//! Deploy a data source's dataset models: the batch becomes the data source's live datasets.

use std::collections::{HashMap, HashSet};

use crate::schema::{DataSource, Dataset, DatasetType, NewDataset};
use crate::validate::{self, MAX_LONG_TEXT, MAX_TEXT};
use buster_db::prelude::*;
use buster_db::query::Written;
use buster_db::{DateTime, Error, JsonValue, Result, Utc, Uuid};

/// The most models one deploy accepts.
pub const MAX_DEPLOY_MODELS: usize = 100_000;

/// One dataset model of a deploy: a relation of the data source and what the analyst should
/// know about it.
///
/// Its key is `(name, schema, database_identifier)` within the data source; a deploy matches
/// models to existing datasets by that key.
#[derive(Debug, Clone, PartialEq)]
pub struct DatasetModel {
    /// The dataset's name (1 to 255 characters).
    pub name: String,
    /// The schema holding the relation (1 to 255 characters).
    pub schema: String,
    /// The database holding the relation (1 to 255 characters).
    pub database_name: String,
    /// Which database of the data source, when it has several (1 to 255 characters).
    pub database_identifier: Option<String>,
    /// Whether the relation is a table, a view or a materialized view.
    pub dataset_type: DatasetType,
    /// The SQL defining the dataset (at most 1,000,000 characters).
    pub definition: String,
    /// When the analyst should use this dataset (at most 1,000,000 characters).
    pub when_to_use: Option<String>,
    /// When the analyst should not use it (at most 1,000,000 characters).
    pub when_not_to_use: Option<String>,
    /// The semantic model (at most 1,000,000 characters).
    pub model: Option<String>,
    /// The model file it comes from (at most 1,000,000 characters).
    pub yml_file: Option<String>,
    /// Free-form metadata.
    pub metadata: Option<JsonValue>,
    /// Whether the dataset is offered to the analyst.
    pub enabled: bool,
}

impl DatasetModel {
    /// An enabled model of the relation `schema.name` in `database_name`, without a database
    /// identifier, descriptions, model file or metadata.
    pub fn new(
        name: impl Into<String>,
        schema: impl Into<String>,
        database_name: impl Into<String>,
        dataset_type: DatasetType,
        definition: impl Into<String>,
    ) -> DatasetModel {
        DatasetModel {
            name: name.into(),
            schema: schema.into(),
            database_name: database_name.into(),
            database_identifier: None,
            dataset_type,
            definition: definition.into(),
            when_to_use: None,
            when_not_to_use: None,
            model: None,
            yml_file: None,
            metadata: None,
            enabled: true,
        }
    }

    fn key(&self) -> Key<'_> {
        (
            &self.name,
            &self.schema,
            self.database_identifier.as_deref(),
        )
    }

    /// Checks the model; `at` is its position in the batch, for the field names.
    fn validate_at(&self, at: usize) -> Result<()> {
        let field = |name: &str| format!("models[{at}].{name}");
        validate::text(&field("name"), &self.name, MAX_TEXT)?;
        validate::text(&field("schema"), &self.schema, MAX_TEXT)?;
        validate::text(&field("database_name"), &self.database_name, MAX_TEXT)?;
        validate::optional_text(
            &field("database_identifier"),
            self.database_identifier.as_deref(),
            MAX_TEXT,
        )?;
        validate::bounded(&field("definition"), &self.definition, MAX_LONG_TEXT)?;
        for (name, value) in [
            ("when_to_use", &self.when_to_use),
            ("when_not_to_use", &self.when_not_to_use),
            ("model", &self.model),
            ("yml_file", &self.yml_file),
        ] {
            if let Some(v) = value {
                validate::bounded(&field(name), v, MAX_LONG_TEXT)?;
            }
        }
        if let Some(m) = &self.metadata {
            validate::json(&field("metadata"), m)?;
        }
        Ok(())
    }
}

/// A dataset's key within its data source: name, schema and database identifier. Equal
/// `None`s are the same key, as in the `NULLS NOT DISTINCT` unique index.
type Key<'a> = (&'a str, &'a str, Option<&'a str>);

/// Input of [`deploy_datasets`].
#[derive(Debug, Clone, PartialEq)]
pub struct DeployDatasetsParams {
    /// The data source whose datasets the batch replaces.
    pub data_source_id: Uuid,
    /// Who deploys (recorded as `created_by` of new datasets and `updated_by` of every dataset
    /// the deploy writes or deletes).
    pub deployed_by: Uuid,
    /// Every model the data source should have: 1 to 100,000 models with distinct keys.
    pub models: Vec<DatasetModel>,
}

impl DeployDatasetsParams {
    /// Checks the batch before any SQL runs:
    /// - `models` holds 1 to 100,000 models (an empty deploy would delete every dataset of the
    ///   data source, which is never what a model file means);
    /// - each model's `name`, `schema` and `database_name` are 1 to 255 characters, a
    ///   `database_identifier` too; `definition`, the descriptions, `model` and `yml_file` are
    ///   at most 1,000,000 characters; no text, and no string of `metadata`, holds a NUL;
    /// - no two models share a key `(name, schema, database_identifier)`.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) naming the first bad field:
    /// `models`, `models[3].name`, … or `models[7]` for the later of two models with one key.
    pub fn validate(&self) -> Result<()> {
        validate::non_empty("models", &self.models)?;
        if self.models.len() > MAX_DEPLOY_MODELS {
            return Err(Error::validation(
                "models",
                format!(
                    "must hold at most {MAX_DEPLOY_MODELS} models, got {}",
                    self.models.len()
                ),
            ));
        }
        let mut seen: HashMap<Key<'_>, usize> = HashMap::with_capacity(self.models.len());
        for (at, model) in self.models.iter().enumerate() {
            model.validate_at(at)?;
            if let Some(first) = seen.insert(model.key(), at) {
                return Err(Error::validation(
                    format!("models[{at}]"),
                    format!("has the same name, schema and database_identifier as models[{first}]"),
                ));
            }
        }
        Ok(())
    }
}

/// What [`deploy_datasets`] did.
#[derive(Debug, Clone, PartialEq)]
pub struct DeployDatasetsReport {
    /// Models that had no live dataset before the deploy, revived ones included.
    pub created: u64,
    /// Of `created`, those that revived a soft-deleted dataset with the same key (keeping its
    /// id) rather than inserting a row.
    pub revived: u64,
    /// Models whose live dataset was updated.
    pub updated: u64,
    /// Live datasets of the data source that were not in the batch and are now soft-deleted.
    pub deleted: u64,
    /// The deployed datasets, one per model, in no particular order.
    pub datasets: Vec<Dataset>,
}

/// Makes the batch the data source's set of live datasets, in one transaction whose number of
/// statements does not depend on the batch size (four, plus `BEGIN` and `COMMIT`):
///
/// 1. The data source is touched (`updated_at = now()` on the live row). This checks that it is
///    live and locks it, so two deploys of one data source run one after the other and each
///    sees the other's result.
/// 2. The data source's datasets whose name is in the batch are read, live and deleted (their
///    id, key and `deleted_at` only), to match each model to a row by key.
/// 3. Every model is upserted in one statement (`UNNEST`, one array per column) on the primary
///    key, with revive: a model whose key has a live dataset updates it; one whose key only has
///    soft-deleted datasets revives the most recently deleted of them, keeping its id; any
///    other model is inserted.
/// 4. The data source's live datasets that are not among the upserted rows are soft-deleted in
///    one statement (`NOT id = ANY($n)`), recording `updated_by`.
///
/// Why not an upsert on the unique key `(name, schema, database_identifier, data_source_id)`:
/// that key is unique among live rows only (a partial index `WHERE deleted_at IS NULL`), so a
/// soft-deleted dataset never conflicts with it and could never be revived; a new row would be
/// inserted beside it instead. The key is still what matches a model to a row, and the index
/// still guards it: two models with one key are refused before any SQL runs.
///
/// Updates rewrite the model's columns and `updated_by`; `name`, `schema`,
/// `database_identifier`, the data source, the organization, `imported`, `created_by` and
/// `created_at` stay. New datasets take the data source's organization.
///
/// A revived dataset counts as `created` (it was not live before the deploy) and also as
/// `revived`. So `created + updated` is the number of models, and the data source has
/// `created - deleted` more live datasets than before.
///
/// Takes a `&Db` rather than any executor because it opens its own transaction.
///
/// # Errors
///
/// [`ErrorKind::NotFound`](buster_db::ErrorKind::NotFound) when the data source is missing or
/// soft-deleted; [`ErrorKind::ForeignKeyViolation`](buster_db::ErrorKind::ForeignKeyViolation)
/// when `deployed_by` is not a user; [`ErrorKind::UniqueViolation`](buster_db::ErrorKind::UniqueViolation)
/// when another writer inserted a dataset with a batch key meanwhile; validation and database
/// errors. Nothing is written in any of these cases.
pub async fn deploy_datasets(
    params: DeployDatasetsParams,
    db: &Db,
) -> Result<DeployDatasetsReport> {
    params.validate()?;
    let DeployDatasetsParams {
        data_source_id,
        deployed_by,
        models,
    } = params;
    let names: Vec<String> = models
        .iter()
        .map(|m| m.name.as_str())
        .collect::<HashSet<_>>()
        .into_iter()
        .map(str::to_owned)
        .collect();
    db.transaction(async |tx| {
        let source = DataSource::update(data_source_id).one(tx).await?;
        let existing = Dataset::select()
            .with_deleted()
            .filter(
                Dataset::data_source_id
                    .eq(data_source_id)
                    .and(Dataset::name.is_in(names)),
            )
            .columns((
                Dataset::id,
                Dataset::name,
                Dataset::schema,
                Dataset::database_identifier,
                Dataset::deleted_at,
            ))
            .all(tx)
            .await?;
        let targets = Targets::new(&existing);
        let mut revived = HashSet::new();
        let rows: Vec<NewDataset> = models
            .into_iter()
            .map(|m| {
                let id = match targets.get(m.key()) {
                    Some(Target::Live(id)) => Some(id),
                    Some(Target::Deleted(id)) => {
                        revived.insert(id);
                        Some(id)
                    }
                    None => None,
                };
                new_dataset(m, id, &source, deployed_by)
            })
            .collect();
        let written = Dataset::upsert_many(rows)
            .on_conflict(Dataset::id)
            .update((
                Dataset::database_name,
                Dataset::when_to_use,
                Dataset::when_not_to_use,
                Dataset::r#type,
                Dataset::definition,
                Dataset::enabled,
                Dataset::model,
                Dataset::yml_file,
                Dataset::metadata,
                Dataset::updated_by,
            ))
            .revive()
            .outcomes(tx)
            .await?;
        let mut report = DeployDatasetsReport {
            created: 0,
            revived: 0,
            updated: 0,
            deleted: 0,
            datasets: Vec::with_capacity(written.len()),
        };
        for (dataset, how) in written {
            if revived.contains(&dataset.id) {
                report.created += 1;
                report.revived += 1;
            } else if how == Written::Inserted {
                report.created += 1;
            } else {
                report.updated += 1;
            }
            report.datasets.push(dataset);
        }
        let kept: Vec<Uuid> = report.datasets.iter().map(|d| d.id).collect();
        report.deleted = Dataset::soft_delete_where(
            Dataset::data_source_id
                .eq(data_source_id)
                .and(Dataset::id.is_in(kept).not()),
        )
        .set(Dataset::updated_by, deployed_by)
        .execute(tx)
        .await?;
        Ok::<_, Error>(report)
    })
    .await
}

/// The row a model's key already has in the data source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Target {
    /// A live dataset: the model updates it.
    Live(Uuid),
    /// No live dataset, and this is the most recently deleted one: the model revives it.
    Deleted(Uuid),
}

/// The existing datasets of a deploy's names, by key.
struct Targets<'a> {
    by_key: HashMap<Key<'a>, (Target, Option<DateTime<Utc>>)>,
}

type Existing = (Uuid, String, String, Option<String>, Option<DateTime<Utc>>);

impl<'a> Targets<'a> {
    fn new(rows: &'a [Existing]) -> Targets<'a> {
        let mut by_key: HashMap<Key<'a>, (Target, Option<DateTime<Utc>>)> =
            HashMap::with_capacity(rows.len());
        for (id, name, schema, database_identifier, deleted_at) in rows {
            let key = (
                name.as_str(),
                schema.as_str(),
                database_identifier.as_deref(),
            );
            let candidate = match deleted_at {
                None => (Target::Live(*id), None),
                Some(at) => (Target::Deleted(*id), Some(*at)),
            };
            by_key
                .entry(key)
                .and_modify(|current| {
                    if prefer(&candidate, current) {
                        *current = candidate;
                    }
                })
                .or_insert(candidate);
        }
        Targets { by_key }
    }

    fn get(&self, key: Key<'_>) -> Option<Target> {
        self.by_key.get(&key).map(|(target, _)| *target)
    }
}

/// Whether `candidate` is a better row for a model than `current`: a live row beats any
/// deleted one (there is at most one live row per key), and a later deletion beats an earlier
/// one.
fn prefer(
    candidate: &(Target, Option<DateTime<Utc>>),
    current: &(Target, Option<DateTime<Utc>>),
) -> bool {
    match (candidate, current) {
        ((Target::Live(_), _), _) => true,
        (_, (Target::Live(_), _)) => false,
        ((_, new), (_, old)) => new > old,
    }
}

fn new_dataset(m: DatasetModel, id: Option<Uuid>, source: &DataSource, by: Uuid) -> NewDataset {
    NewDataset {
        id,
        name: m.name,
        database_name: m.database_name,
        when_to_use: m.when_to_use,
        when_not_to_use: m.when_not_to_use,
        r#type: m.dataset_type,
        definition: m.definition,
        schema: m.schema,
        enabled: Some(m.enabled),
        imported: None,
        data_source_id: source.id,
        organization_id: source.organization_id,
        model: m.model,
        yml_file: m.yml_file,
        database_identifier: m.database_identifier,
        metadata: m.metadata,
        created_by: by,
        updated_by: by,
    }
}
