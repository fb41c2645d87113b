FROM alpine:3.20
RUN addgroup -S web && adduser -S -u 8080 -G web web
user web:web
