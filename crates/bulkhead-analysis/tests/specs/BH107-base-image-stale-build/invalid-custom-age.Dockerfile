# `[registry] base-max-age = "30d"`: a build of 2026-10-01 is 61 days old on 2026-12-01.
FROM python:3.13-slim
CMD ["python3", "-m", "http.server"]
