-- PostGIS is the field's standard for grids (polygons, coverage, point-in-polygon).
-- On PostgreSQL a superuser creates it beforehand (see README); then this is a no-op.
CREATE EXTENSION IF NOT EXISTS postgis;
