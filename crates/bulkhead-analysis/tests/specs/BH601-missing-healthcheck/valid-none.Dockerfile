FROM postgres:16
healthcheck NONE
