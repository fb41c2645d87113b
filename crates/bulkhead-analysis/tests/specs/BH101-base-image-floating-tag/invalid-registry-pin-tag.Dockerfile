ARG VARIANT=slim
FROM python:3-slim AS build
RUN pip wheel --wheel-dir /wheels .

FROM python:3-${VARIANT} AS test
RUN python -m pytest

FROM ubuntu
COPY --from=build /wheels /wheels
