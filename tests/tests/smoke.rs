use buster_db::prelude::*;
use buster_db_tests::{NewUser, User, UserPatch};

#[buster_db::test(migrations = buster_database::MIGRATIONS)]
async fn smoke(db: Db) {
    let u = User::insert(NewUser::new("a@x.io".into(), "A".into()))
        .one(&db)
        .await
        .unwrap();
    println!("{}", User::find(u.id).to_sql());
    let f = User::find(u.id).one(&db).await.unwrap();
    assert_eq!(f, u);
    let q = User::select()
        .filter(User::email.ilike("%@x.io").and(User::is_active.eq(true)))
        .order_by(User::created_at.desc());
    println!("{}", q.to_sql());
    let page = q.paginate(1, 10, &db).await.unwrap();
    assert_eq!(page.total, 1);
    let up = User::upsert(NewUser::new("a@x.io".into(), "B".into()))
        .on_conflict(User::email)
        .update((User::name,));
    println!("{}", up.to_sql());
    let up = up.one(&db).await.unwrap();
    assert_eq!(up.name, "B");
    let upd = User::update(u.id)
        .patch(UserPatch {
            name: Some("C".into()),
            ..Default::default()
        })
        .set(User::is_active, false);
    println!("{}", upd.to_sql());
    let upd = upd.one(&db).await.unwrap();
    assert!(!upd.is_active);
    let del = User::soft_delete(u.id);
    println!("{}", del.to_sql());
    del.one(&db).await.unwrap();
    assert!(User::find(u.id).optional(&db).await.unwrap().is_none());
    assert_eq!(User::select().count(&db).await.unwrap(), 0);
    let r = User::restore(u.id).one(&db).await.unwrap();
    assert!(r.deleted_at.is_none());
    let many = User::insert_many((0..3).map(|i| NewUser::new(format!("{i}@m"), "m".into())));
    println!("{}", many.to_sql());
    assert_eq!(many.all(&db).await.unwrap().len(), 3);
    let um = User::upsert_many((0..4).map(|i| NewUser::new(format!("{i}@m"), "n".into())))
        .on_conflict(User::email)
        .update_all();
    println!("{}", um.to_sql());
    assert_eq!(um.all(&db).await.unwrap().len(), 4);
    assert!(
        User::select()
            .filter(User::email.is_in(["0@m", "9@m"]))
            .exists(&db)
            .await
            .unwrap()
    );
}
