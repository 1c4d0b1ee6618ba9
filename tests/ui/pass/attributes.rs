// Renamed columns, a renamed column module, indexes and a default table name.
use buster_db::Table;
use buster_db::prelude::*;

#[derive(Table, Debug)]
#[table(columns = "line_item_cols", index(order_id), index(order_id, position))]
pub struct LineItem {
    #[column(primary_key)]
    pub id: i64,
    pub order_id: i64,
    pub position: i32,
    #[column(name = "type")]
    pub kind: String,
    #[column(default = "1")]
    pub quantity: i32,
}

fn main() {
    let _: line_item_cols::kind = LineItem::kind;
    assert_eq!(<LineItem as Table>::META.name, "line_items");
    let _ = LineItem::select()
        .filter(LineItem::kind.eq("book"))
        .to_sql();
    let _ = NewLineItem {
        id: 1,
        order_id: 2,
        position: 0,
        kind: "book".into(),
        quantity: None,
    };
}
