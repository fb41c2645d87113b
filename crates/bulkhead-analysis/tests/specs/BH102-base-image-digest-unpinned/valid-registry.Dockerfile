FROM python:3.12-slim@sha256:1d0447543fac833cc86eed3edb0988e1c6ea7dfb011f7448f93bf50a6f1486d0
COPY --from=ghcr.io/astral-sh/uv:0.4@sha256:e6184ce10e266134fdcfa401e8f1a95005bcd4f18d16b62b757323e2833fe9a9 /uv /bin/uv
