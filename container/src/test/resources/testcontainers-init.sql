-- run by Testcontainers' withInitScript over JDBC once the container is started
CREATE TABLE init_script_ran (note text);
INSERT INTO init_script_ran VALUES ('from withInitScript');
