FROM cgr.dev/chainguard/python:latest-dev AS deps
run sudo pip install flask

FROM debian:bookworm-slim
run sudo -E -H apt-get update && \
    sudo apt-get install -y --no-install-recommends curl
