# The registry knows no more precise tag than 3.13.1-slim; node:20-alpine was not looked up (offline).
FROM python:3.13.1-slim AS build
FROM node:20-alpine
COPY --from=build /usr/local/bin/python3 /usr/local/bin/
