FROM python:3.12-slim AS build
CMD ["python", "-m", "pytest"]
cmd ["python", "-m", "build"]

FROM python:3.12-slim
# the old entry point
ENTRYPOINT ["/old-entrypoint.sh", \
    # with a comment inside
    "--legacy"]
HEALTHCHECK CMD curl -f http://127.0.0.1:8000/ || exit 1
HEALTHCHECK NONE
ENTRYPOINT ["/docker-entrypoint.sh"]
ONBUILD CMD ["echo", "child"]
HEALTHCHECK --interval=10s CMD curl -f http://127.0.0.1:8000/health || exit 1
CMD ["gunicorn", "app:app"]
