FROM python:3.12-slim AS base
WORKDIR /srv

FROM base
WORKDIR app
COPY . .
ONBUILD WORKDIR plugins
WORKDIR /srv/app
