FROM python:3.12-slim AS build
COPY .env.example /app/.env.example
COPY ca.pem fullchain.pem /etc/ssl/certs/
COPY nginx_signing.key /tmp/
COPY id_rsa.pub /root/.ssh/authorized_keys
COPY .ssh/known_hosts /root/.ssh/known_hosts
ADD https://example.com/server.pem /etc/ssl/
COPY . /src
FROM python:3.12-slim
COPY --from=build /src/.env /app/.env
COPY <<EOF /app/.env
LOG_LEVEL=info
EOF
ONBUILD COPY . /app
