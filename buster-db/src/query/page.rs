//! Pagination: [`Page`], the page window and the `paginate` terminal of every read query.

use crate::executor::Executor;
use crate::{Error, Result};

use super::from::Total;
use super::run::{self, Read};

/// The largest page size `paginate` accepts.
pub const MAX_PAGE_SIZE: u32 = 5000;

/// One page of a paginated query.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    /// The rows of this page.
    pub items: Vec<T>,
    /// How many rows match in all.
    pub total: i64,
    /// The page number, from 1.
    pub page: u32,
    /// The page size asked for.
    pub page_size: u32,
    /// Whether rows follow this page.
    pub has_more: bool,
}

impl Page<()> {
    /// Checks a page request as `paginate` does, without running anything: `page` from 1,
    /// `page_size` from 1 to [`MAX_PAGE_SIZE`], else an
    /// [`ErrorKind::Validation`](crate::ErrorKind::Validation) error for field `page` or
    /// `page_size`. For params types that validate their input before any query is built.
    ///
    /// ```
    /// use buster_db::Page;
    /// assert!(Page::check(1, 20).is_ok());
    /// assert_eq!(Page::check(0, 20).unwrap_err().field(), Some("page"));
    /// ```
    pub fn check(page: u32, page_size: u32) -> Result<()> {
        window(page, page_size).map(|_| ())
    }
}

/// `(limit, offset)` of page `page` (from 1) of `page_size` rows, validated.
pub(crate) fn window(page: u32, page_size: u32) -> Result<(i64, i64)> {
    if page < 1 {
        return Err(Error::validation("page", "must be at least 1"));
    }
    if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
        return Err(Error::validation(
            "page_size",
            format!("must be between 1 and {MAX_PAGE_SIZE}"),
        ));
    }
    Ok((
        i64::from(page_size),
        i64::from(page - 1) * i64::from(page_size),
    ))
}

/// Page `page` of `q`: its rows and the total count, fetched concurrently. Both statements are
/// checked before either is sent.
pub(crate) async fn paginate<Q: Read, E: Executor + ?Sized>(
    mut q: Q,
    page: u32,
    page_size: u32,
    exec: &E,
) -> Result<Page<Q::Output>>
where
    Q::Output: Send,
{
    let (limit, offset) = window(page, page_size)?;
    q.window(limit, offset);
    let items = q.render();
    let total = run::render_total(&q, Total::Count);
    run::check_params(&items)?;
    run::check_params(&total)?;
    let (items, total) = tokio::join!(
        run::fetch(exec, &items, usize::MAX, Some(page_size as usize), |row| {
            q.decode(row)
        }),
        run::fetch_value::<i64, _>(exec, &total, "count"),
    );
    let items = items?;
    let total = total?;
    Ok(Page {
        has_more: offset + (items.len() as i64) < total,
        items,
        total,
        page,
        page_size,
    })
}
