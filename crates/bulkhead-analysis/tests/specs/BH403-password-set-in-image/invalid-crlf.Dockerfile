FROM alpine:3.20
RUN adduser -D app \
    && echo "app:app12345" | chpasswd
