-- Written by `generate`: takes a database migrated up to 0001_books.sql to the table declarations.
-- Review it before it is applied.

ALTER TABLE "books" ADD COLUMN "copies" integer NOT NULL DEFAULT 1;

-- NOTE: fails while a row breaks the check
ALTER TABLE "books" ADD CONSTRAINT "books_copies_not_negative" CHECK (copies >= 0);
