-- Effort across a customer's contacts: the contact's own effort index is
-- kept, and effort adds what the journey cost (earlier contacts for the same
-- intent within the repeat window, and the other channels they used); both
-- are recomputed by Relink.
ALTER TABLE interactions ADD COLUMN contact_effort DOUBLE;
ALTER TABLE interactions ADD COLUMN prior_contacts INTEGER;
ALTER TABLE interactions ADD COLUMN channel_switches INTEGER;
UPDATE interactions SET contact_effort = effort;
