-- A column whose type no longer matches its struct field (`String` is `text`).
ALTER TABLE users ALTER COLUMN name TYPE varchar(20);
