-- Runs once, when the compose file's Postgres volume is first initialised: the self-hosted Inngest
-- server keeps its apps, runs and history in a database of its own beside Intake's.
CREATE DATABASE inngest;
