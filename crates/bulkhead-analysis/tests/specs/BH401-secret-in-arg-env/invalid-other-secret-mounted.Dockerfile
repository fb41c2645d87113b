# syntax=docker/dockerfile:1.10
FROM python:3.12-slim
ARG PIP_TOKEN
# A secret of another name is mounted already: `PIP_TOKEN` still needs its own mount.
RUN --mount=type=secret,id=old,env=PIP_TOKEN_OLD pip install --index-url "https://u:${PIP_TOKEN}@pypi.example.com/simple" app
# The same secret mounted by hand: no second mount.
RUN --mount=type=secret,id=pip_token,env=PIP_TOKEN pip download --index-url "https://u:${PIP_TOKEN}@pypi.example.com/simple" app
