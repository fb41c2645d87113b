ARG PYTHON=3.12
FROM python:${PYTHON}-slim AS build
RUN --mount=type=bind,from=ghcr.io/acme/wheels:1.2,target=/wheels pip install /wheels/*.whl

FROM python:3.12-slim
COPY --from=build /usr/local/lib /usr/local/lib
COPY --from=ghcr.io/astral-sh/uv:0.4 /uv /bin/uv
COPY --from=ghcr.io/acme/tools:2 /tool /bin/tool
