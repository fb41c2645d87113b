FROM node:22-slim AS build
WORKDIR /app
COPY . .
COPY .env.example ./
COPY src/ ./src/
COPY *.json ./
# Re-included files below an ignored folder: the copy is partial on purpose.
COPY docs/ ./docs/
COPY --from=build /app/.env /tmp/.env
ADD https://example.com/.env /tmp/remote.env
ONBUILD COPY .env /app/
COPY <<EOF /app/.env
LOCAL=1
EOF
