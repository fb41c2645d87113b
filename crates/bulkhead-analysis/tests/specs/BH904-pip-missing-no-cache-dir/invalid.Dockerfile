FROM python:3.12-slim AS base
ENV PIP_NO_CACHE_DIR=1

FROM python:3.12-slim
COPY requirements.txt .
RUN pip install -r requirements.txt
RUN pip3 install --upgrade pip && python3 -m pip install flask==3.0
RUN /usr/local/bin/pip3.12 --disable-pip-version-check install \
      # pinned for the CVE fix
      requests==2.32.3
RUN PIP_NO_CACHE_DIR=0 pip install gunicorn
RUN --mount=type=cache,target=/root/.cache/pip/http pip install uvicorn
RUN <<EOF
set -e
python -m pip install .
EOF
ONBUILD RUN pip install .
