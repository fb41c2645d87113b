FROM golang:1.22 AS test
COPY . /src
CMD go test ./...

FROM python:3.12-slim
WORKDIR /app
CMD gunicorn --bind 0.0.0.0:8000 app:app
