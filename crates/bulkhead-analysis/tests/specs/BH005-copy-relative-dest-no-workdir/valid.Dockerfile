FROM python:3.12-slim AS base
COPY app.py /app/
WORKDIR /app
COPY . .

FROM base
COPY more.py lib/

FROM scratch
COPY --from=base /app/app.py .

FROM alpine:3.20
ARG DEST
COPY x $DEST
ONBUILD COPY . .
