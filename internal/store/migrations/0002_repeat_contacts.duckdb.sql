-- Repeat-contact links, recomputed for the customers an import touched.
ALTER TABLE interactions ADD COLUMN repeat_of BIGINT;
ALTER TABLE interactions ADD COLUMN repeated BOOLEAN;
ALTER TABLE interactions ADD COLUMN first_contact BOOLEAN;
ALTER TABLE interactions ADD COLUMN fcr BOOLEAN;
