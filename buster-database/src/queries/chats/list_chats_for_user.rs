//! List the chats a user can open, a page at a time.

use crate::schema::{AssetPermission, AssetType, Chat, IdentityType};
use crate::validate;
use buster_db::prelude::*;
use buster_db::{Page, Result, Uuid};

/// Input of [`list_chats_for_user`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListChatsForUserParams {
    /// The user.
    pub user_id: Uuid,
    /// The page, from 1.
    pub page: u32,
    /// Chats per page, 1 to 5,000.
    pub page_size: u32,
}

impl ListChatsForUserParams {
    /// Page `page` of `page_size` chats of the user.
    pub fn new(user_id: Uuid, page: u32, page_size: u32) -> ListChatsForUserParams {
        ListChatsForUserParams {
            user_id,
            page,
            page_size,
        }
    }

    /// Checks that `page` is at least 1 and `page_size` is between 1 and 5,000.
    ///
    /// # Errors
    ///
    /// [`ErrorKind::Validation`](buster_db::ErrorKind::Validation) for field `page` or `page_size`.
    pub fn validate(&self) -> Result<()> {
        validate::page(self.page, self.page_size)
    }
}

/// One page of the live chats the user created or holds a live permission on, most recently
/// updated first (ties by id, so pages never overlap), with the total number of such chats.
///
/// A `UNION` of two selects, ordered and paginated as a whole (the rows and the count are two
/// statements sent concurrently):
/// - chats whose `created_by` is the user;
/// - chats whose id is `IN (SELECT asset_id FROM asset_permissions …)` for a grant to the user
///   (identity type `user`, asset type `chat`).
///
/// A chat in both halves appears once. Revoked (soft-deleted) permissions never count, and
/// soft-deleted chats never appear. Grants to the user's teams or organizations are not
/// followed.
///
/// # Errors
///
/// Validation and database errors.
pub async fn list_chats_for_user<E: Executor + ?Sized>(
    params: ListChatsForUserParams,
    exec: &E,
) -> Result<Page<Chat>> {
    params.validate()?;
    let granted = AssetPermission::select()
        .filter(
            AssetPermission::identity_id
                .eq(params.user_id)
                .and(AssetPermission::identity_type.eq(IdentityType::User))
                .and(AssetPermission::asset_type.eq(AssetType::Chat)),
        )
        .column(AssetPermission::asset_id);
    Chat::select()
        .filter(Chat::created_by.eq(params.user_id))
        .union(Chat::select().filter(Chat::id.in_select(granted)))
        .order_by(Chat::updated_at.desc())
        .order_by(Chat::id.desc())
        .paginate(params.page, params.page_size, exec)
        .await
}
