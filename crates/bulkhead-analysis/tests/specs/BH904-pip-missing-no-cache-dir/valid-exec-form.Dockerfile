# Exec form with the option, a cache mount, or not an install.
FROM python:3.12-slim
RUN ["pip", "install", "--no-cache-dir", "flask==3.0.3"]
RUN --mount=type=cache,target=/root/.cache/pip ["pip", "install", "gunicorn==23.0.0"]
RUN ["pip", "download", "requests"]
RUN ["echo", "pip", "install", "x"]
