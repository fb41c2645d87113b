FROM debian:bookworm-slim
COPY app/ /srv/app/
RUN <<EOF
chown -R www-data:www-data /srv/app
EOF
