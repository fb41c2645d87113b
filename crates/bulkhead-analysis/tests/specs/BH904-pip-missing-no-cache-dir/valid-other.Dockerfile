# syntax=docker/dockerfile:1
FROM python:3.12-slim
RUN --mount=type=cache,target=/root/.cache pip install flask
RUN --mount=type=cache,target=/home/app/.cache/pip,uid=1000 pip install gunicorn
RUN PIP_NO_CACHE_DIR=1 pip install uvicorn
RUN pip install --no-cache-dir requests && python -m pip install --no-cache-dir .
RUN pip download -d /wheels numpy && pip --version && echo pip install x
RUN pipx install black
