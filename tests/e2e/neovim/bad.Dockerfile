FROM alpine:3.22
RUN apk add --no-cache curl
COPY app.sh /app/app.sh
CMD ["/app/app.sh"]
