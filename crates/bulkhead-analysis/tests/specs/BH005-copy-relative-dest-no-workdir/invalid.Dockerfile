FROM python:3.12-slim AS base
COPY app.py .
ADD conf/ conf/
COPY ["run.sh", "bin/"]

FROM base
copy more.py lib/
