FROM python:3.12-slim AS base
CMD ["python", "-m", "http.server"]
ENTRYPOINT ["/docker-entrypoint.sh"]

FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS windows
CMD ping -t localhost

FROM debian:bookworm-slim AS pwsh
SHELL ["pwsh", "-Command"]
CMD Write-Host hello

FROM base
HEALTHCHECK CMD curl -fsS http://127.0.0.1:8000/ || exit 1
CMD ["/bin/sh", "-c", "exec gunicorn app:app"]
