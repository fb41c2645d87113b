FROM alpine:3.20
COPY .env secrets/api.key /app/
