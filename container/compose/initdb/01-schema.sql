-- Run by the image on its first start (empty volume) only, in POSTGRES_DB, as in the official image.
CREATE TABLE greeting (text text NOT NULL);
INSERT INTO greeting VALUES ('hello from /docker-entrypoint-initdb.d');
