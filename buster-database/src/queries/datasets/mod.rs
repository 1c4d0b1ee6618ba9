//! Datasets: the modelled relations of a data source.

mod deploy_datasets;

pub use deploy_datasets::*;
