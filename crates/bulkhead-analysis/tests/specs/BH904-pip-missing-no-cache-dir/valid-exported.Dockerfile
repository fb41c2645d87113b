FROM python:3.12-slim
RUN export PIP_NO_CACHE_DIR=1 && pip install requests
RUN set -eux; export PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1; pip install flask
