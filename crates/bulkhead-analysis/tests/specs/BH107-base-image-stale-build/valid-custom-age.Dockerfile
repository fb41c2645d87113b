# `[registry] base-max-age = "365d"`: a build of 2026-01-10 is within it on 2026-12-01; an unreadable
# time is left alone.
FROM python:3.13-slim
FROM node:22-slim
